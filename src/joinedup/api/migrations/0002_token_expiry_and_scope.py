"""Tokens get a scope and a required expiry (docs/adr/0016).

Tokens made before this could read and write and never expired. They keep read-and-write (narrowing them
would break partner systems without warning) and expire 90 days after this migration runs, so their owners
have the standard lifetime to replace them; their account page shows the date."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + datetime.timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                help_text="Read only: the token may only read (GET). Read and write: whatever its owner may do.",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
    ]
