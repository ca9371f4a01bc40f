"""Reading funding's plain-data inputs field by field, every problem collected at once: shared by the
funding, commissioning and applicant services (each problem is added to `errors` under its field)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.form_fields import place_name
from joinedup.core.models import Area, AreaLevel, Organisation, User
from joinedup.core.models.organisations import charity_number_validator, company_number_validator
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed

from .models import PENNY

Errors = dict[str, list[str]]


def require(actor: User, action: str, obj: Any = None) -> None:
    if not has_permission(actor, action, obj):
        raise NotAllowed(f"You may not do this ({action}).")


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def read_text(
    data: dict[str, Any], field: str, errors: Errors, *, label: str = "", required: bool = False
) -> str:
    value = data.get(field)
    text = "" if value is None else str(value).strip()
    if required and not text:
        add_error(errors, field, f"Enter {label or field.replace('_', ' ')}.")
    return text


REGISTERED_NUMBERS = {"charity_number": charity_number_validator, "company_number": company_number_validator}


def read_registered_number(data: dict[str, Any], field: str, errors: Errors) -> str:
    """A charity or company number (`field`: a key of REGISTERED_NUMBERS), in capitals; when given, every
    reason it is not in the register's format goes under `field`. Staff's and applicants' forms alike."""
    value = read_text(data, field, errors).upper()
    if value:
        try:
            REGISTERED_NUMBERS[field](value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    return value


def parse_money(value: Any) -> Decimal | None:
    """Pounds and pence: '1,250.50', '£80', Decimal('3') → Decimal; anything else → None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = str(value)
    text = str(value).strip().replace(",", "").removeprefix("£")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(PENNY):
        return None
    return amount.quantize(PENNY)


def read_money(
    data: dict[str, Any], field: str, errors: Errors, *, label: str, required: bool = True
) -> Decimal | None:
    raw = data.get(field)
    if raw is None or str(raw).strip() == "":
        if required:
            add_error(errors, field, f"Enter {label}.")
        return None
    amount = parse_money(raw)
    if amount is None:
        add_error(errors, field, f"Enter {label} in pounds and pence, for example 1250.50.")
        return None
    if amount <= 0:
        add_error(errors, field, f"Enter {label} of at least £0.01.")
        return None
    return amount


def read_date(data: dict[str, Any], field: str, errors: Errors, *, label: str) -> datetime.date | None:
    value = data.get(field)
    if isinstance(value, datetime.date):
        return value
    if not value:
        add_error(errors, field, f"Enter {label}.")
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        add_error(errors, field, f"Enter {label} as a real date, for example 2026-04-01.")
        return None


def read_choice(data: dict[str, Any], field: str, choices: Any, errors: Errors, *, label: str) -> str:
    value = str(data.get(field) or "").strip()
    if value not in choices.values:
        add_error(errors, field, f"Choose {label}." if not value else f"'{value}' is not a valid {label}.")
    return value


def read_organisation(
    value: Any, errors: Errors, field: str, *, required: bool = False, label: str = ""
) -> Any:
    """An Organisation object or id → the organisation; unknown ids and missing required ones are errors."""
    if isinstance(value, Organisation):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            add_error(errors, field, f"Choose {label or 'an organisation'} from the directory.")
        return None
    found = Organisation.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if found is None:
        add_error(errors, field, f"Choose {label or 'an organisation'} from the directory.")
    return found


def read_csp(value: Any, errors: Errors, field: str = "csp") -> Area | None:
    if isinstance(value, Area):
        return value
    code = "" if value is None else str(value).strip().upper()
    if not code:
        return None
    found = Area.objects.filter(code=code, level=AreaLevel.CSP).first()
    if found is None:
        add_error(errors, field, f"{code} is not a CSP area code.")
    return found


def read_ward(
    value: Any, csp: Area | None, errors: Errors, field: str = "ward", csp_field: str = "csp"
) -> Area | None:
    """The electoral ward a grant or contract mainly serves (optional), by ONS code: it must lie in `csp`,
    the CSP area read beside it (under `csp_field`), so a ward is never recorded against the wrong
    partnership. A ward with no CSP given, or one in another CSP (or in a district split between CSPs), is
    refused naming where it is."""
    if isinstance(value, Area):
        ward = value
    else:
        code = "" if value is None else str(value).strip().upper()
        if not code:
            return None
        found = Area.objects.filter(code=code, level=AreaLevel.WARD).select_related("lad", "csp").first()
        if found is None:
            add_error(errors, field, f"{code} is not an electoral ward code.")
            return None
        ward = found
    named = place_name(ward)
    home = ward.csp
    if home is None:
        add_error(
            errors,
            field,
            f"{named} is in a district split between CSP areas, so it is in no one CSP area: leave the ward "
            "empty and record the CSP area alone.",
        )
    elif csp is None:
        if csp_field not in errors:  # a CSP code that was refused is reported under its own field
            add_error(errors, field, f"Choose the CSP area as well as the ward: {named} is in {home.name}.")
    elif home.pk != csp.pk:
        add_error(
            errors,
            field,
            f"{named} is in {home.name}, not {csp.name}: choose a ward in {csp.name}, or leave the ward empty.",
        )
    return ward
