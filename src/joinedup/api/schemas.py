"""Error bodies every operation may answer with, declared once so the OpenAPI document shows them."""

from __future__ import annotations

from typing import Any

from ninja import Schema


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
