"""Tokens belong to one connected system, carry allowed actions and agencies, and expire.

Existing tokens keep working for 90 days with every action of their kind; the old
`payments` system is the `payment_platform` kind; tokens of no system are revoked.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

KIND_ACTIONS = {
    "national_portal": ["resubmit", "return_result", "stop", "submit", "withdraw"],
    "payment_platform": ["confirm_payment"],
}


def scope_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    now = timezone.now()
    ApiToken.objects.filter(system="payments").update(system="payment_platform")
    for token in ApiToken.objects.all():
        token.expires_at = now + timedelta(days=90)
        token.scopes = KIND_ACTIONS.get(token.system, [])
        if token.system not in KIND_ACTIONS and token.revoked_at is None:
            token.revoked_at = now
        token.save(update_fields=["expires_at", "scopes", "revoked_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(name="apitoken", options={"ordering": ["-created_at", "-id"]}),
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(
                default=list, help_text="Workflow actions this token may apply.", verbose_name="allowed actions"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="agencies",
            field=models.ManyToManyField(
                blank=True,
                help_text="Limit the token to dossiers of these agencies (empty: every agency).",
                related_name="+",
                to="organizations.agency",
                verbose_name="agencies",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="include_subtree",
            field=models.BooleanField(
                default=True, help_text="The agencies above cover every unit below them.", verbose_name="include units below"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(scope_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="system",
            field=models.CharField(
                choices=[
                    ("national_portal", "Cổng Dịch vụ công quốc gia / National public service portal"),
                    ("payment_platform", "Nền tảng thanh toán trực tuyến / National payment platform"),
                ],
                max_length=40,
                verbose_name="connected system",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                help_text="The service account the system's actions are recorded under.",
                on_delete=models.deletion.CASCADE,
                related_name="api_tokens",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
