# The integer the cited saved insight assessment was kept in before it became a foreign key (0003).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("csp", "0003_insight_assessment_foreign_key")]

    operations = [
        migrations.RemoveField(model_name="historicalstrategicassessment", name="insight_assessment_integer"),
        migrations.RemoveField(model_name="strategicassessment", name="insight_assessment_integer"),
    ]
