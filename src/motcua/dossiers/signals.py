"""Signals of the dossiers app, so that apps above it (indicators) can react to changes
without the dossiers app importing them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent by `workflow.transition` inside the transaction of the change, once its event is
#: appended (`event=` the new DossierEvent). Receivers that write do so in that transaction.
event_appended = Signal()

#: Sent after each batch of an import is committed, with the ids of the dossiers it wrote
#: (`dossier_ids=`): the import copies events without transitions, so this is its only word.
dossiers_imported = Signal()
