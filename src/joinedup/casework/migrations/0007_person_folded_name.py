"""Each person's name as the name search compares it (lower case, no accents): `Person.folded_name`.

Filled for the people already recorded by 0008, indexed on PostgreSQL by 0009.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_online_case_review_applications")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="folded_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
