# Supplements, withdrawals and stop requests made on a connected system, applied once each.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0010_dossier_assignment"),
        ("integrations", "0004_model_names_for_the_admin"),
    ]

    operations = [
        migrations.CreateModel(
            name="InboundRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=40)),
                ("key", models.CharField(max_length=100)),
                ("external_id", models.CharField(help_text="The system's dossier code.", max_length=64)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("supplement", "Supplement handed in"),
                            ("withdrawal", "Withdrawal"),
                            ("stop", "Request to stop"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(blank=True, help_text="When the applicant made it, as the system says.", null=True),
                ),
                (
                    "attachments",
                    models.JSONField(blank=True, default=list, help_text="The files as the system listed them."),
                ),
                ("received_at", models.DateTimeField(auto_now_add=True)),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="dossiers.dossier"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="dossiers.dossierevent"
                    ),
                ),
            ],
            options={
                "verbose_name": "inbound request",
                "verbose_name_plural": "inbound requests",
                "constraints": [models.UniqueConstraint(fields=("source", "key"), name="uniq_inbound_request")],
            },
        ),
    ]
