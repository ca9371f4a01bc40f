"""Test data for funding: a fund, a round with weighted criteria and eligible applications."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from joinedup.core.roles import Role
from joinedup.funding import services
from joinedup.funding.models import Application, Fund, GrantRound


def make_fund(users: dict[str, Any], areas: dict[str, Any], **extra: Any) -> Fund:
    data = {
        "name": "Community Safety Fund",
        "source": "community_safety",
        "distribution_model": "formula",
        "force_area": areas["pfa"].code,
        "budgets": "2026: 10000.00",
        "max_award": "5000",
        **extra,
    }
    return services.create_fund(actor=users[Role.OPCC_OFFICER], data=data)


def make_round(users: dict[str, Any], fund: Fund, budget: str = "6000.00") -> GrantRound:
    return services.create_round(
        actor=users[Role.OPCC_OFFICER],
        fund=fund,
        data={
            "name": "Small grants 2026",
            "opens_on": datetime.date(2026, 4, 1),
            "closes_on": datetime.date(2026, 5, 31),
            "budget": budget,
            "criteria": "Need: 3\nValue for money: 1",
        },
    )


def make_application(users: dict[str, Any], grant_round: GrantRound, amount: str, title: str) -> Application:
    officer = users[Role.OPCC_OFFICER]
    application = services.create_application(
        actor=officer,
        grant_round=grant_round,
        data={
            "organisation_name": f"{title} Trust",
            "charity_number": "1234567",
            "project_title": title,
            "project_description": f"{title}: a project for young people.",
            "amount_requested": amount,
        },
    )
    return services.check_eligibility(
        actor=officer, application=application, eligible=True, note="", expected_version=application.version
    )


def score(member: Any, application: Application, need: int, value: int) -> None:
    need_c, value_c = application.round.criteria.order_by("position")
    services.score_application(
        actor=member,
        application=application,
        scores={need_c.pk: (need, "Clear need"), value_c.pk: (value, "")},
    )


def amounts(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


SCHEMA_DIR = Path(settings.SHARED_DATA_DIR) / "standards" / "360giving"
PACKAGE_SCHEMA = SCHEMA_DIR / "360-giving-package-schema.json"
GRANT_SCHEMA = SCHEMA_DIR / "360-giving-schema.json"


def validator() -> Any:
    if not PACKAGE_SCHEMA.exists() or not GRANT_SCHEMA.exists():
        pytest.skip(f"The 360Giving schemas are not in the shared data directory ({SCHEMA_DIR}).")
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("rfc3339_validator")  # lets the format checker assert RFC 3339 date-times
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    package = json.loads(PACKAGE_SCHEMA.read_text())
    grant = json.loads(GRANT_SCHEMA.read_text())
    # The schemas say "$schema": "http://…" (not https), so name the dialect explicitly; the package
    # refers to the grant schema by its published URL, which resolves to the local copy.
    grant_resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    registry = Registry().with_resources(
        [(package["properties"]["grants"]["items"]["$ref"], grant_resource), (grant["$id"], grant_resource)]
    )
    return jsonschema.Draft202012Validator(
        package, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
