"""Awarded grants as 360Giving open data: a data package (JSON) and its flat form (CSV).

Only what an award publishes is included: recipient organisation, title, description, amount, date,
fund and programme. Nothing about applicants who were not funded, panel scores or conflicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Award, grant_id_prefix

SCHEMA_VERSION = "1.4"
CURRENCY = "GBP"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Last Modified",
]


def publisher_name() -> str:
    return str(getattr(settings, "JOINEDUP_PUBLISHER_NAME", "Office of the Police and Crime Commissioner"))


def funder_identifier() -> str:
    return str(getattr(settings, "JOINEDUP_FUNDER_ORG_ID", f"{grant_id_prefix()}-funder"))


def recipient_identifier(award: Award) -> str:
    """Org-id.guide identifiers where a registered number is known; otherwise a local one."""
    if award.charity_number:
        prefix = "GB-SC" if award.charity_number.upper().startswith("SC") else "GB-CHC"
        return f"{prefix}-{award.charity_number}"
    if award.company_number:
        return f"GB-COH-{award.company_number}"
    return f"{grant_id_prefix()}-recipient-{award.application_id}"


def _number(amount: Decimal) -> int | float:
    """A JSON number for an amount in pounds: whole pounds as integers, pence kept to two places."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def grant(award: Award) -> dict[str, Any]:
    recipient: dict[str, Any] = {"id": recipient_identifier(award), "name": award.recipient_name}
    if award.charity_number:
        recipient["charityNumber"] = award.charity_number
    if award.company_number:
        recipient["companyNumber"] = award.company_number
    return {
        "id": award.identifier,
        "title": award.title,
        "description": award.description,
        "currency": CURRENCY,
        "amountAwarded": _number(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {"id": funder_identifier(), "name": publisher_name(), "department": award.fund.name}
        ],
        "grantProgramme": [{"code": f"fund-{award.fund_id}", "title": award.fund.name}],
        "dateModified": award.updated_at.isoformat(timespec="seconds"),
    }


def package(awards: Iterable[Award]) -> dict[str, Any]:
    now = timezone.now()
    return {
        "version": SCHEMA_VERSION,
        "title": f"Grants awarded by {publisher_name()}",
        "description": "Grants awarded through Joined Up, published to the 360Giving Data Standard.",
        "identifier": f"{grant_id_prefix()}-grants",
        "issued": now.date().isoformat(),
        "modified": now.isoformat(timespec="seconds"),
        "publisher": {"identifier": funder_identifier(), "name": publisher_name()},
        "license": LICENSE,
        "grants": [grant(award) for award in awards],
    }


def csv_rows(awards: Iterable[Award]) -> Iterator[list[Any]]:
    for award in awards:
        yield [
            award.identifier,
            award.title,
            award.description,
            CURRENCY,
            f"{award.amount:.2f}",
            award.awarded_on.isoformat(),
            recipient_identifier(award),
            award.recipient_name,
            award.charity_number,
            award.company_number,
            funder_identifier(),
            publisher_name(),
            award.fund.name,
            award.updated_at.isoformat(timespec="seconds"),
        ]
