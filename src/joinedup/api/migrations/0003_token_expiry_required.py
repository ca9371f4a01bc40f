"""Every token now has an expiry (set by 0002 for the older ones); a migration of its own so PostgreSQL
alters the table in a transaction without the rows 0002 updated."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0002_token_expiry_and_scope")]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
