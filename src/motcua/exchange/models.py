"""What the exchange keeps in the database: only the foreign keys a bulk import has set aside."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuspendedConstraint(models.Model):
    """A foreign key that `import_dossiers --bulk` dropped (PostgreSQL) and has not yet added
    back (exchange/bulk.py). Written in the transaction that drops the key, deleted in the one
    that adds it back, so a row here always means a key missing from the database."""

    table = models.CharField(_("table"), max_length=63)
    name = models.CharField(_("constraint"), max_length=63)
    definition = models.TextField(_("definition"), help_text=_("As pg_get_constraintdef gives it."))
    suspended_at = models.DateTimeField(_("suspended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspended constraint")
        verbose_name_plural = _("suspended constraints")
        ordering = ["table", "name"]
        constraints = [models.UniqueConstraint(fields=["table", "name"], name="uniq_suspended_constraint")]

    def __str__(self) -> str:
        return f"{self.table}.{self.name}"
