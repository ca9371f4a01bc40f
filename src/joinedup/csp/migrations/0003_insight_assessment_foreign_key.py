# The cited saved insight assessment becomes a foreign key. Written by hand so existing citations are kept:
# the old integer is renamed out of the way, the key added under its final name (column
# `insight_assessment_id`, as before), and the integers that name a saved assessment copied into it; the
# next migration drops the integer (SQLite cannot drop it in the same migration that adds the key's index).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

HELP = "The saved assessment in the insight store this was published from, when there is one."


def copy_citations(apps, schema_editor):
    saved = apps.get_model("insight", "StrategicAssessment").objects.values("pk")
    for name in ("StrategicAssessment", "HistoricalStrategicAssessment"):
        apps.get_model("csp", name).objects.filter(insight_assessment_integer__in=saved).update(
            insight_assessment_id=F("insight_assessment_integer")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("csp", "0002_strategic_assessments_panel_workspace"),
        ("insight", "0004_merge_20261122_1714"),
    ]

    operations = [
        migrations.RenameField(
            model_name="historicalstrategicassessment",
            old_name="insight_assessment_id",
            new_name="insight_assessment_integer",
        ),
        migrations.RenameField(
            model_name="strategicassessment",
            old_name="insight_assessment_id",
            new_name="insight_assessment_integer",
        ),
        migrations.AddField(
            model_name="historicalstrategicassessment",
            name="insight_assessment",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="insight.strategicassessment",
                verbose_name="Saved insight assessment",
            ),
        ),
        migrations.AddField(
            model_name="strategicassessment",
            name="insight_assessment",
            field=models.ForeignKey(
                blank=True,
                help_text=HELP,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="csp_publications",
                to="insight.strategicassessment",
                verbose_name="Saved insight assessment",
            ),
        ),
        migrations.RunPython(copy_citations, migrations.RunPython.noop),
    ]
