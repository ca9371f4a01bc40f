"""Adding and changing organisations in the directory."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.models import Area, Organisation
from joinedup.core.models.organisations import ORGANISATION_NAME_TAKEN
from joinedup.core.permissions import has_permission

from .errors import NotAllowed
from .integrity import unique_errors
from .validation import resolve_areas
from .versioning import save_versioned, stamp

EDITABLE_FIELDS = (
    "name",
    "sector",
    "description",
    "responsible_authority",
    "charity_number",
    "company_number",
    "website",
    "compact_signatory",
    "illustrative",
    "source",
)


def _apply(
    organisation: Organisation, data: dict[str, Any]
) -> tuple[list[Area] | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    unexpected = sorted(set(data) - set(EDITABLE_FIELDS) - {"areas"})
    if unexpected:
        errors["__all__"] = [f"Unexpected fields: {', '.join(unexpected)}."]
    for field in EDITABLE_FIELDS:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            setattr(organisation, field, value if value is not None else "")
    areas = resolve_areas(data["areas"], errors) if "areas" in data else None
    try:
        # The name rule is checked once, below, with its own words (and by the database constraint).
        organisation.full_clean(exclude=["created_by", "updated_by"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return areas, errors


def _check_name_free(organisation: Organisation, errors: dict[str, list[str]]) -> None:
    clash = Organisation.objects.filter(name__iexact=organisation.name).exclude(pk=organisation.pk)
    if organisation.name and clash.exists() and "name" not in errors:
        errors["name"] = [ORGANISATION_NAME_TAKEN]


def _checked(actor: Any, organisation: Organisation, data: dict[str, Any]) -> list[Area] | None:
    """Apply `data` to the (unsaved) organisation and return its areas (None: left as they are), or raise
    every problem at once: the fields, a name already in the directory, areas outside the person's own."""
    areas, errors = _apply(organisation, data)
    _check_name_free(organisation, errors)
    if areas is not None and not has_permission(actor, "organisations.change", _Pending(areas)):
        errors.setdefault("areas", []).append("Choose only areas inside your own.")
    if errors:
        raise ValidationError(errors)
    return areas


def create_organisation(*, actor: Any, data: dict[str, Any]) -> Organisation:
    if not has_permission(actor, "organisations.create"):
        raise NotAllowed("You may not add organisations.")
    organisation = Organisation()
    areas = _checked(actor, organisation, data)
    # Two people adding the same name at once both pass the check above; the database refuses the second,
    # which then gets the same error as if it had come a moment later.
    with unique_errors(), transaction.atomic():
        stamp(organisation, actor=actor, reason="Added to the directory")
        organisation.save()
        if areas is not None:
            organisation.areas.set(areas)
    return organisation


def update_organisation(
    *, actor: Any, organisation: Organisation, expected_version: int, data: dict[str, Any]
) -> Organisation:
    if not has_permission(actor, "organisations.change", organisation):
        raise NotAllowed("You may not change this organisation.")
    areas = _checked(actor, organisation, data)
    with unique_errors(), transaction.atomic():
        save_versioned(organisation, expected_version=expected_version, actor=actor, reason="Edited")
        if areas is not None and set(areas) != set(organisation.areas.all()):
            organisation.areas.set(areas)
    return organisation


class _Pending:
    """Stands in for an organisation's proposed areas when checking a CSP manager's scope."""

    def __init__(self, areas: list[Area]) -> None:
        self._ids = [area.pk for area in areas]

    @property
    def areas(self) -> Any:
        return Area.objects.filter(pk__in=self._ids)
