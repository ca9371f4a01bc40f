"""Every write to the reports a PCC requires of a CSP, and the CSP's responses."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from joinedup.core.models import Area, User
from joinedup.core.services.validation import Errors, add_error

from ..models import (
    ReportRequirement,
)
from ..services import csp_writes

REQUIREMENT_FIELDS = ("subject", "reason", "required_on", "due_date")
REPORT_RESPONSE_FIELDS = ("response", "response_link", "responded_on")


def _check_requirement(item: ReportRequirement, errors: Errors) -> None:
    if item.required_on and item.due_date and item.due_date < item.required_on:
        add_error(errors, "due_date", "The report cannot be due before it was required.")
    if item.responded_on and item.required_on and item.responded_on < item.required_on:
        add_error(errors, "responded_on", "The response cannot be before the report was required.")
    if item.responded_on and not (item.response or item.response_link):
        add_error(errors, "response", "Give the report or response, as text or a link.")
    if (item.response or item.response_link) and item.responded_on is None:
        add_error(errors, "responded_on", "Enter the date of the response.")


@transaction.atomic
def require_report(*, actor: User, csp: Area, data: dict[str, Any]) -> ReportRequirement:
    item = ReportRequirement(csp=csp)
    return csp_writes("csp.reports.require", REQUIREMENT_FIELDS, _check_requirement).save(
        actor, csp, item, data
    )


@transaction.atomic
def respond_to_requirement(
    *, actor: User, item: ReportRequirement, expected_version: int, data: dict[str, Any]
) -> ReportRequirement:
    """The CSP (its manager, or the OPCC on its behalf) records its report or response."""
    writes = csp_writes("csp.change", REPORT_RESPONSE_FIELDS, _check_requirement)
    return writes.save(actor, item, item, data, expected_version)
