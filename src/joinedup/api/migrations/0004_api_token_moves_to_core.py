"""API tokens now live in core (core 0010): the api app forgets the model; the table stays, now core's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_token_expiry_required"),
        ("core", "0010_api_token_moves_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
