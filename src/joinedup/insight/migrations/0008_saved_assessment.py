# insight's StrategicAssessment becomes SavedAssessment (docs/adr/0042), so it is not confused with the CSP's
# published document (csp.StrategicAssessment). Written by hand: the models and their tables are renamed
# (insight_strategicassessment -> insight_savedassessment, and the history table), so every row, key and
# citation is kept; Django renames the content types after RenameModel, keeping their ids. The verbose name
# stays "strategic assessment" so messages read as before.
#
# After csp 0003, whose data migration looks the old name up.

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0007_concern_source"),
        ("csp", "0003_insight_assessment_foreign_key"),
    ]

    operations = [
        migrations.RenameModel(old_name="StrategicAssessment", new_name="SavedAssessment"),
        migrations.RenameModel(
            old_name="HistoricalStrategicAssessment", new_name="HistoricalSavedAssessment"
        ),
        migrations.AlterModelOptions(
            name="savedassessment",
            options={
                "ordering": ["area__name", "-to_month", "-edition", "-pk"],
                "verbose_name": "strategic assessment",
            },
        ),
        migrations.AlterField(
            model_name="savedassessment",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="saved_assessments", to="core.area"
            ),
        ),
        migrations.AlterField(
            model_name="savedassessment",
            name="results",
            field=models.JSONField(
                default=dict, help_text="The assessment as documented in insight.calculation."
            ),
        ),
    ]
