"""One edition number per area and period.

Saving the same area and period twice used to make a second "edition 1". Before the constraint is added,
such duplicates are numbered on after the period's highest edition, oldest first, so nothing is lost; the
assessment ids (which CSP plans cite) do not change.
"""

from typing import Any

from django.db import migrations, models


def number_duplicate_editions(apps: Any, schema_editor: Any) -> None:
    Assessment = apps.get_model("insight", "StrategicAssessment")
    seen: dict[tuple[Any, ...], set[int]] = {}
    highest: dict[tuple[Any, ...], int] = {}
    rows = list(
        Assessment.objects.order_by("area_id", "from_month", "to_month", "edition", "pk").values_list(
            "pk", "area_id", "from_month", "to_month", "edition"
        )
    )
    for _pk, area, first, last, edition in rows:
        key = (area, first, last)
        highest[key] = max(highest.get(key, 0), edition)
    for pk, area, first, last, edition in rows:
        key = (area, first, last)
        used = seen.setdefault(key, set())
        if edition in used:
            highest[key] += 1
            edition = highest[key]
            Assessment.objects.filter(pk=pk).update(edition=edition)
        used.add(edition)


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0004_merge_20261122_1714"),
    ]

    operations = [
        migrations.RunPython(number_duplicate_editions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="strategicassessment",
            constraint=models.UniqueConstraint(
                fields=("area", "from_month", "to_month", "edition"), name="insight_assessment_edition_once"
            ),
        ),
    ]
