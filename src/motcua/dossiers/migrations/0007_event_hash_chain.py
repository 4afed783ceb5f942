"""The hash chain of dossier histories (dossiers/chain.py): a hash on every event, the last
one on its dossier, the anchors (append-only like the events), who imported a history.

Histories written before this migration are sealed here, in seq order, as if they had been
hashed when written; the append-only triggers are lifted for that one UPDATE and put back.
"""

from django.db import migrations, models

from motcua.dossiers import chain

PG_ANCHOR_UP = """
CREATE TRIGGER dossiers_anchor_no_update BEFORE UPDATE OR DELETE ON dossiers_eventanchor
  FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();
"""
PG_ANCHOR_DOWN = "DROP TRIGGER IF EXISTS dossiers_anchor_no_update ON dossiers_eventanchor;"
SQLITE_ANCHOR_UP = [
    "CREATE TRIGGER dossiers_anchor_no_update BEFORE UPDATE ON dossiers_eventanchor "
    "BEGIN SELECT RAISE(ABORT, 'event anchors are append-only'); END;",
    "CREATE TRIGGER dossiers_anchor_no_delete BEFORE DELETE ON dossiers_eventanchor "
    "BEGIN SELECT RAISE(ABORT, 'event anchors are append-only'); END;",
]
SQLITE_ANCHOR_DOWN = [
    "DROP TRIGGER IF EXISTS dossiers_anchor_no_update;",
    "DROP TRIGGER IF EXISTS dossiers_anchor_no_delete;",
]
SQLITE_EVENT_TRIGGERS = [
    "CREATE TRIGGER dossiers_event_no_update BEFORE UPDATE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
    "CREATE TRIGGER dossiers_event_no_delete BEFORE DELETE ON dossiers_dossierevent "
    "BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;",
]


def anchor_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Adding columns rebuilt the event table on SQLite, without its triggers (0002): put them back.
        for statement in ["DROP TRIGGER IF EXISTS dossiers_event_no_update", "DROP TRIGGER IF EXISTS dossiers_event_no_delete"]:
            schema_editor.execute(statement)
        for statement in SQLITE_EVENT_TRIGGERS:
            schema_editor.execute(statement)
    for statement in [PG_ANCHOR_UP] if vendor == "postgresql" else SQLITE_ANCHOR_UP if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def drop_anchor_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [PG_ANCHOR_DOWN] if vendor == "postgresql" else SQLITE_ANCHOR_DOWN if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def seal_histories(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    if not DossierEvent.objects.exists():
        return
    agencies = dict(apps.get_model("organizations", "Agency").objects.values_list("pk", "code"))
    users = dict(apps.get_model("auth", "User").objects.values_list("pk", "username"))
    key = chain.settings_key()
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE dossiers_dossierevent DISABLE TRIGGER dossiers_event_no_update")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS dossiers_event_no_update")
    for dossier in Dossier.objects.order_by("pk").iterator(chunk_size=1000):
        previous = chain.GENESIS
        for event in DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("seq"):
            data = event.data
            if isinstance(data, dict) and isinstance(data.get("to_agency"), int):
                data = {**data, "to_agency": agencies.get(data["to_agency"])}
            content = {
                "seq": event.seq,
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "at": event.at,
                "actor": users.get(event.actor_id) if event.actor_id else None,
                "actor_name": event.actor_name,
                "actor_role": event.actor_role,
                "actor_agency": agencies.get(event.actor_agency_id) if event.actor_agency_id else None,
                "reason": event.reason,
                "form": event.form,
                "data": data,
            }
            previous = chain.link(key, previous, dossier.code, content)
            DossierEvent.objects.filter(pk=event.pk).update(hash=previous, actor_username=content["actor"] or "")
        Dossier.objects.filter(pk=dossier.pk).update(chain_head=previous)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE dossiers_dossierevent ENABLE TRIGGER dossiers_event_no_update")
    else:
        schema_editor.execute(SQLITE_EVENT_TRIGGERS[0])


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0006_private_random_file_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('last_event_id', models.BigIntegerField(help_text='The last event covered (events are covered in id order).')),
                ('events', models.PositiveBigIntegerField(help_text='How many events this anchor covers.')),
                ('previous', models.CharField(blank=True, default='', max_length=64)),
                ('digest', models.CharField(max_length=64)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='dossier',
            name='chain_head',
            field=models.CharField(blank=True, default='', help_text='Hash of the last event (dossiers/chain.py).', max_length=64),
        ),
        migrations.AddField(
            model_name='dossier',
            name='imported_at',
            field=models.DateTimeField(blank=True, help_text='When the history came in through the exchange format.', null=True, verbose_name='imported at'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='imported_by',
            field=models.CharField(blank=True, default='', help_text='Who imported the history.', max_length=150, verbose_name='imported by'),
        ),
        migrations.AddField(
            model_name='dossierevent',
            name='hash',
            field=models.CharField(blank=True, default='', help_text="Chained to the previous event's hash (dossiers/chain.py).", max_length=64),
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="actor_username",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The account's username when the event was written (kept when an import finds no such account).",
                max_length=150,
            ),
        ),
        migrations.RunPython(anchor_triggers, drop_anchor_triggers),
        migrations.RunPython(seal_histories, migrations.RunPython.noop),
    ]
