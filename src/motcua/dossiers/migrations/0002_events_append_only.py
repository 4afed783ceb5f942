"""On PostgreSQL the database itself refuses UPDATE and DELETE of dossier events
(docs/architecture.md#the-write-path; OpenCRVS keeps its actions the same way). SQLite relies on the model guard
and a trigger of its own."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION dossiers_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'dossier events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_event_no_update BEFORE UPDATE OR DELETE ON dossiers_dossierevent
  FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS dossiers_event_no_update ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS dossiers_event_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER dossiers_event_no_update BEFORE UPDATE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
    "CREATE TRIGGER dossiers_event_no_delete BEFORE DELETE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS dossiers_event_no_update;", "DROP TRIGGER IF EXISTS dossiers_event_no_delete;"]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
