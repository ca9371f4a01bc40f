"""Turning a database unique violation into a field error a person can act on.

A service checks uniqueness before saving, but two requests at once can both pass the check; the
database constraint then refuses the second. `unique_violation(exc)` names the field (and the
constraint's own message) from the constraint the database reports, on PostgreSQL and SQLite alike, so
the second caller gets the same 422 / form error as if it had come a moment later:

    with unique_errors():
        organisation.save()

raises `ValidationError({"name": ["An organisation with this name is already in the directory."]})`.
The API also turns any unique violation that escapes a service into a 422 this way (api/errors.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models


@dataclass(frozen=True)
class UniqueRule:
    model: type[models.Model]
    fields: tuple[str, ...]
    message: str


def _default_message(model: type[models.Model], fields: tuple[str, ...]) -> str:
    opts = model._meta
    labels = " and ".join(str(getattr(opts.get_field(name), "verbose_name", name)) for name in fields)
    return f"A {opts.verbose_name} with this {labels} already exists."


def _expression_fields(model: type[models.Model], constraint: models.UniqueConstraint) -> tuple[str, ...]:
    """The model fields a functional unique constraint (e.g. Lower("name")) is built on."""
    names: list[str] = []

    def visit(expression: object) -> None:
        if isinstance(expression, models.F):
            names.append(str(getattr(expression, "name", "")))
        for source in getattr(expression, "get_source_expressions", list)():
            visit(source)

    for expression in constraint.expressions:
        visit(expression)
    return tuple(dict.fromkeys(names))


@cache
def _rules() -> tuple[dict[str, UniqueRule], dict[tuple[str, frozenset[str]], UniqueRule]]:
    """Every unique rule of every model: by constraint name, and by (table, set of columns)."""
    by_name: dict[str, UniqueRule] = {}
    by_columns: dict[tuple[str, frozenset[str]], UniqueRule] = {}
    for model in apps.get_models():
        opts = model._meta
        table = opts.db_table

        def add(fields: tuple[str, ...], message: str, name: str | None = None) -> None:
            rule = UniqueRule(model, fields, message)  # noqa: B023 (used at once)
            if name:
                by_name[name] = rule
            columns = frozenset(str(getattr(opts.get_field(f), "column", f)) for f in fields)  # noqa: B023
            by_columns.setdefault((table, columns), rule)  # noqa: B023

        for field in opts.local_fields:
            if field.unique and not field.primary_key:
                message = str(field.error_messages.get("unique", "")) % {
                    "model_name": opts.verbose_name,
                    "field_label": field.verbose_name,
                }
                add((field.name,), message)
        for together in opts.unique_together:
            add(tuple(together), _default_message(model, tuple(together)))
        for constraint in opts.constraints:
            if not isinstance(constraint, models.UniqueConstraint):
                continue
            fields = tuple(constraint.fields) or _expression_fields(model, constraint)
            custom = constraint.violation_error_message
            default = models.UniqueConstraint.default_violation_error_message
            message = (
                str(custom) % {"name": constraint.name}
                if custom and custom != default
                else _default_message(model, fields)
            )
            add(fields, message, constraint.name)
    return by_name, by_columns


_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (.+)$")
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '([^']+)'")


def _find_rule(exc: IntegrityError) -> UniqueRule | None:
    by_name, by_columns = _rules()
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if getattr(cause, "sqlstate", None) != "23505":
            return None
        rule = by_name.get(diag.constraint_name or "")
        if rule:
            return rule
        detail = diag.message_detail or ""
        match = re.match(r"Key \((.+?)\)=", detail)
        if match and diag.table_name:
            columns = frozenset(c.strip().strip('"') for c in match.group(1).split(","))
            return by_columns.get((diag.table_name, columns))
        return None
    message = str(exc)
    match = _SQLITE_INDEX.search(message)
    if match:
        return by_name.get(match.group(1))
    match = _SQLITE_COLUMNS.search(message)
    if match:
        pairs = [item.strip().rsplit(".", 1) for item in match.group(1).split(",")]
        tables = {pair[0] for pair in pairs if len(pair) == 2}
        if len(tables) == 1:
            return by_columns.get((tables.pop(), frozenset(pair[1] for pair in pairs)))
    return None


def is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) is not None:
        return getattr(cause, "sqlstate", None) == "23505"
    return "UNIQUE constraint failed" in str(exc)


def unique_violation(exc: IntegrityError) -> ValidationError | None:
    """The field error a unique violation stands for, or None if `exc` is some other integrity error."""
    if not is_unique_violation(exc):
        return None
    rule = _find_rule(exc)
    if rule is None:
        return ValidationError(
            {NON_FIELD_ERRORS: ["This would duplicate a record that already exists."]}, code="unique"
        )
    field = rule.fields[0] if len(rule.fields) == 1 else NON_FIELD_ERRORS
    return ValidationError({field: [ValidationError(rule.message, code="unique")]})


@contextmanager
def unique_errors() -> Iterator[None]:
    """Re-raise a unique violation inside the block as the ValidationError naming its field."""
    try:
        yield
    except IntegrityError as exc:
        error = unique_violation(exc)
        if error is None:
            raise
        raise error from exc
