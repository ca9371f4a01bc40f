"""API tokens move from the api app to core (docs/adr/0025): the model's state only; the table keeps its
name (api_apitoken) and its rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_worker_heartbeat_and_import_jobs"),
        ("api", "0003_token_expiry_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="What the token is for, e.g. 'housing case system'.", max_length=100
                            ),
                        ),
                        ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        (
                            "hint",
                            models.CharField(
                                editable=False,
                                help_text="The first characters, to recognise it.",
                                max_length=12,
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "scope",
                            models.CharField(
                                choices=[("read", "Read only"), ("read_write", "Read and write")],
                                help_text=(
                                    "Read only: the token may only read (GET). "
                                    "Read and write: whatever its owner may do."
                                ),
                                max_length=10,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "api_apitoken", "ordering": ["-created_at"]},
                ),
            ],
            database_operations=[],
        ),
    ]
