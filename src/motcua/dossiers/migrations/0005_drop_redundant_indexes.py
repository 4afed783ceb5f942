"""Drop indexes that no query needs, so that every write of a dossier or an event (the
services, and the importer: issue 4 item 6) maintains fewer of them.

* The single-column indexes on dossiers_dossier.receiving_agency_id, settling_agency_id and
  current_agency_id: each column is the first of a composite index (dossier_receiving_idx,
  dossier_settling_idx, dossier_queue_idx), which serves every lookup by the agency alone
  (visibility filters, joins, the PROTECT check when an agency is deleted).
* dossiers_dossierevent.dossier_id: uniq_event_seq (dossier_id, seq) starts with it and serves
  every read of a history (by dossier, ordered by seq) and every `dossier_id IN (…)`.
* PostgreSQL only: the `varchar_pattern_ops` ("_like") indexes Django adds next to the
  indexes of dossiers_dossier.code, status and external_id. They serve only LIKE 'prefix%'
  (`startswith`); no query does that on these columns (the staff search uses `icontains`
  on code, which no b-tree serves; equality uses the plain index). The plain indexes stay.

On SQLite, AlterField rebuilds dossiers_dossierevent (copy, drop, rename), which drops its
append-only triggers (migration 0002): they are created again right after, both ways.
"""

from importlib import import_module

from django.db import migrations, models

APPEND_ONLY = import_module("motcua.dossiers.migrations.0002_events_append_only")

LIKE_INDEXES = (
    ("dossiers_dossier_code_6d68c351_like", "code"),
    ("dossiers_dossier_status_4bd5c056_like", "status"),
    ("dossiers_dossier_external_id_ed50b05e_like", "external_id"),
)


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _column in LIKE_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in LIKE_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} "
                f"ON dossiers_dossier ({schema_editor.quote_name(column)} varchar_pattern_ops)"
            )


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE_DOWN + APPEND_ONLY.SQLITE_UP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_open_queue_index"),
        ("organizations", "0002_agency_offers_e_certified_copy"),
    ]

    operations = [
        # Reversed last: after the rebuild that unapplying the AlterField below does.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AlterField(
            model_name="dossier",
            name="current_agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="current_dossiers",
                to="organizations.agency",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="receiving_agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="received_dossiers",
                to="organizations.agency",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="settling_agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="settled_dossiers",
                to="organizations.agency",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="dossier",
            field=models.ForeignKey(
                db_index=False, on_delete=models.deletion.PROTECT, related_name="events", to="dossiers.dossier"
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(drop_like_indexes, create_like_indexes),
    ]
