"""Collecting every problem with a record at once, for services that take plain data (forms, API, imports)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from joinedup.core.models import Area

Errors = dict[str, list[str]]


def add_error(errors: Errors, field: str, message: str) -> None:
    if message not in errors.setdefault(field, []):
        errors[field].append(message)


def apply_fields(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...], errors: Errors) -> None:
    """Copy the known fields from `data` onto `obj`; anything unexpected is itself an error.

    Each value is converted to the field's type here (a date from "2026-04-01", a number from "12"); a
    value that does not convert is an error on that field and the field keeps its value, so the
    service's own checks compare like with like and every problem is still reported together.
    """
    unexpected = sorted(set(data) - set(fields))
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey):
            if isinstance(value, models.Model) or value is None:
                setattr(obj, name, value)
            else:
                setattr(obj, model_field.attname, value or None)
        elif isinstance(model_field, models.CharField | models.TextField):
            text = "" if value is None else _converted(model_field, value, errors)
            if isinstance(text, str) and text:
                text = _checked_text(model_field, text, errors)
            setattr(obj, name, "" if text is _INVALID else text)
        elif value == "" or value is None:
            setattr(obj, name, None)
        else:
            converted = _converted(model_field, value, errors)
            if converted is not _INVALID:
                setattr(obj, name, converted)


_INVALID = object()

# Characters that show nothing: spaces of every kind, control and format characters (zero-width space
# and joiners, direction marks, the byte-order mark, soft hyphen...).
_INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in _INVISIBLE_CATEGORIES


def visible_text(value: str) -> str:
    """`value` without invisible characters at either end; "" if it has nothing a reader could see."""
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def _checked_text(model_field: Any, text: str, errors: Errors) -> Any:
    """Text as stored: invisible characters at the ends removed; refused if nothing visible is left of a
    required field (a name of zero-width spaces; an optional one is left empty), or if the field's own validators refuse it (an email address that is not
    one, a value over the field's length)."""
    shown = visible_text(text)
    label = str(getattr(model_field, "verbose_name", model_field.name))
    if not shown:
        if model_field.blank:  # an optional field left with nothing visible is simply empty
            return ""
        add_error(errors, model_field.name, f"Enter the {label} in characters a reader can see.")
        return _INVALID
    try:
        model_field.run_validators(shown)
    except ValidationError as exc:
        # Kept as given (and reported), so the service's own checks see what was sent, not a blank.
        for message in exc.messages:
            add_error(errors, model_field.name, message)
    return shown


def _converted(model_field: Any, value: Any, errors: Errors) -> Any:
    """`value` as the field's Python type, or _INVALID (with the field's own message added to `errors`)."""
    if isinstance(value, models.Model):
        return value
    try:
        return model_field.to_python(value)
    except ValidationError as exc:
        for message in exc.messages:
            add_error(errors, model_field.name, message)
        return _INVALID
    except (TypeError, ValueError, ArithmeticError):  # e.g. a list where a date belongs
        add_error(errors, model_field.name, f"Enter a valid {model_field.verbose_name}.")
        return _INVALID


def collect_model_errors(
    obj: models.Model,
    errors: Errors,
    *,
    exclude: tuple[str, ...] = (),
    validate_unique: bool = False,
    blank_messages: dict[str, str] | None = None,
) -> None:
    """Run the model's own validation and add every message to `errors`, in words a person can act on.

    Check constraints are left to the database and to each service's own checks, and so is uniqueness
    unless asked for, so a half-built record (say, one whose parent is not saved yet) can still be
    validated. `blank_messages` gives a field's own words for "this is missing".
    """
    try:
        obj.full_clean(
            exclude=["created_by", "updated_by", *exclude],
            validate_unique=validate_unique,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = str(getattr(obj._meta.get_field(name), "verbose_name", name)) if name != "__all__" else ""
            for message in messages:
                if message in ("This field cannot be null.", "This field cannot be blank."):
                    message = (blank_messages or {}).get(name) or (
                        f"Enter the {label.lower()}." if label else message
                    )
                add_error(errors, name, message)


def resolve_areas(value: Any, errors: Errors, *, field: str = "areas") -> list[Area]:
    """Accept Area objects (forms) or ONS codes (API, CLI, imports); report every unknown code."""
    items = list(value or [])
    if all(isinstance(item, Area) for item in items):
        return items
    codes = [str(item).strip().upper() for item in items]
    found = {area.code: area for area in Area.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        add_error(errors, field, f"Unknown area code: {', '.join(unknown)}.")
    return [found[code] for code in codes if code in found]
