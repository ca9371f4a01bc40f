"""What every app's API module uses to declare its operations: the error bodies every operation may answer
with (declared once so the OpenAPI document shows them), `limits_from`, which ties an input schema's
text limits to a model, `required_in_document`, and `list_operation`, which declares a paged list
operation with its permission check. They sit in core so core's own endpoints use them too; the api app assembles
the document and makes it true (api/contract.py, docs/adr/0014 and 0025)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import models
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import BaseModel

from joinedup.core.views.base import api_require

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


View = TypeVar("View", bound=Callable[..., Any])


def list_operation(
    router: Router,
    path: str,
    out: Any,
    *,
    summary: str,
    permission: str | None = None,
    errors: tuple[int, ...] = (404,),
    **options: Any,
) -> Callable[[View], View]:
    """A list operation: GET `path`, paged (`limit`, `offset`; `{"count", "items"}` of `out`). With
    `permission`, it first checks the token holder may (`api_require`: refused, audited and a 404, as if
    there were nothing); `errors` are the error answers the document gives beside 401 and 422 (a list of
    records one may not read is a 404); `options` go to `router.get` (`tags`, `auth`). The decorated function
    returns the rows (a restricted selector's queryset); its name and module make the operation id."""

    def declare(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if permission is not None:
                api_require(request, permission)
            return view(request, *args, **kwargs)

        paged = paginate(LimitOffsetPagination)(guarded)
        return cast(
            View,
            router.get(path, response=responses({200: list[out]}, *errors), summary=summary, **options)(
                paged
            ),
        )

    return declare
