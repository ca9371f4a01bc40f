"""Django's cache table (settings.CACHES): sign-in and API rate limits live there, shared by every process.

`createcachetable` does nothing when the table already exists, so this is safe to run again."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_event_anonymised")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
