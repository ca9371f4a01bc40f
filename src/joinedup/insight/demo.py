"""`joinedup insight demo`: a published strategic assessment for North Tyneside from the imported data, so
the demo opens on a saved assessment that a CSP plan can cite (run `joinedup demo` and import police data
first; `./run` does both).

The numbers are the real ones from the store. What an analyst would enter — victim vulnerability,
community concern, capacity and capability — is illustrative, and the narrative says so. Newcastle upon
Tyne is left without a saved assessment for a new user to work through. Idempotent: once North Tyneside has
a saved assessment, a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from joinedup.core.demo import DemoRefused
from joinedup.core.models import Area, AreaLevel, User

from . import store
from .models import SavedAssessment
from .services import create_assessment, publish_assessment, save_priorities, update_assessment

DEMO_AREA = "North Tyneside"
DEMO_ANALYST = "analyst@example.org"
# Illustrative analyst scores (out of the scheme's scale, capped to it) for the crime types they name.
ILLUSTRATIVE_SCORES: dict[str, dict[str, int]] = {
    "Violence and sexual offences": {"vulnerability": 5, "concern": 4, "capacity": 3, "capability": 2},
    "Anti-social behaviour": {"vulnerability": 2, "concern": 5, "capacity": 3, "capability": 2},
    "Criminal damage and arson": {"vulnerability": 2, "concern": 4, "capacity": 2, "capability": 2},
    "Shoplifting": {"vulnerability": 1, "concern": 3, "capacity": 3, "capability": 2},
    "Burglary": {"vulnerability": 3, "concern": 4, "capacity": 2, "capability": 2},
    "Drugs": {"vulnerability": 3, "concern": 4, "capacity": 3, "capability": 3},
}


def _narrative(assessment: SavedAssessment) -> str:
    results: dict[str, Any] = assessment.results
    totals = results["totals"]
    types = [row for row in results["by_crime_type"] if row["crime_type"] != "Anti-social behaviour"]
    largest = types[0] if types else None
    lines = [
        "Demonstration narrative written by the demo loader, not an analyst's judgement. The scores for "
        "victim vulnerability, community concern, capacity and capability are illustrative; the figures "
        "come from the imported police open data.",
        "",
        f"From {assessment.from_month} to {assessment.to_month}, {assessment.area.name} recorded "
        f"{totals['crimes_excl_asb']:,} crimes excluding anti-social behaviour "
        f"({totals['rate_per_1000']} per 1,000 residents; {totals['trend']} against the 12 months before) "
        f"and {totals['asb']:,} incidents of anti-social behaviour.",
    ]
    if largest:
        lines.append(
            f"The largest category was {largest['crime_type'].lower()} ({largest['count']:,}; "
            f"{largest['trend']})."
        )
    return "\n".join(lines)


def load_insight_demo(
    *, out: Callable[[str], None], area_name: str = DEMO_AREA, analyst_email: str = DEMO_ANALYST
) -> SavedAssessment | None:
    """Save, score and publish the demo assessment; None (with a message) when there is nothing to do."""
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    analyst = User.objects.filter(email=analyst_email).first()
    area = Area.objects.filter(level=AreaLevel.CSP, name=area_name).first()
    if analyst is None or area is None:
        raise DemoRefused("Run `joinedup demo` first: it creates the demo accounts and the areas.")
    if store.current_path() is None:
        out("Insight demo: no police data imported yet, so no saved assessment was made.")
        return None
    existing = SavedAssessment.objects.filter(area=area).first()
    if existing is not None:
        out(f"Insight demo: {area.name} already has a saved assessment ({existing.title}).")
        return None

    assessment = create_assessment(actor=analyst, area=area)
    if not assessment.results["totals"]["crimes_excl_asb"]:
        out(f"Insight demo: the imported data holds no crimes for {area.name}; the draft is kept as it is.")
        return assessment
    scale = assessment.scheme["scale_max"]
    keys = set(assessment.priorities.values_list("key", flat=True))
    entries = {
        key: {name: min(score, scale) for name, score in scores.items()}
        for key, scores in ILLUSTRATIVE_SCORES.items()
        if key in keys
    }
    save_priorities(
        actor=analyst, assessment=assessment, expected_version=assessment.version, entries=entries
    )
    assessment.refresh_from_db()
    update_assessment(
        actor=analyst,
        assessment=assessment,
        expected_version=assessment.version,
        data={"narrative": _narrative(assessment)},
    )
    publish_assessment(actor=analyst, assessment=assessment, expected_version=assessment.version)
    out(f"Insight demo: published “{assessment.title}” with illustrative priority scores.")
    return assessment
