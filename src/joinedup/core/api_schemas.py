"""What every app's API module uses to declare its operations: the error bodies every operation may answer
with (declared once so the OpenAPI document shows them), `limits_from`, which ties an input schema's
text limits to a model, and `required_in_document`. They sit in core so core's own endpoints use them too; the api app assembles
the document and makes it true (api/contract.py, docs/adr/0014 and 0025)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from ninja import Schema
from pydantic import BaseModel

# The attribute `limits_from` sets on a schema, read by api/contract.py's `harden`.
LIMITS_MODEL_ATTRIBUTE = "__joinedup_limits_model__"

S = TypeVar("S", bound=type[BaseModel])


def required_in_document(*fields: str) -> Callable[[dict[str, Any]], None]:
    """An input schema's `json_schema_extra`: the OpenAPI document marks `fields` required although the
    schema parses them leniently (a missing one is then reported with every other problem, as a 422)."""

    def mark(schema: dict[str, Any]) -> None:
        schema["required"] = sorted({*schema.get("required", []), *fields})
        for field in fields:
            schema["properties"][field].pop("default", None)

    return mark


def limits_from(model: type[models.Model]) -> Callable[[S], S]:
    """Class decorator for an input schema: its text fields take their length limits from `model`'s fields
    of the same name (CharField max_length; TextField → TEXT_MAX_LENGTH)."""

    def mark(schema: S) -> S:
        setattr(schema, LIMITS_MODEL_ATTRIBUTE, model)
        return schema

    return mark


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ConflictOut(Schema):
    detail: str
    current_version: int | None


_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ConflictOut,
    422: ValidationErrorOut,
}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's `response=` mapping: its success schema(s) plus the error bodies it can return.

    401 (no or bad token) and 422 (invalid parameters) apply to every operation and are always added.
    """
    mapping: dict[int, Any] = dict(ok)
    for status in sorted({401, 422, *errors}):
        mapping[status] = _ERROR_SCHEMAS[status]
    return mapping
