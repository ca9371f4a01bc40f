"""Turning what services raise into the API's error answers.

- `django.core.exceptions.ValidationError` (a service's dict of every field error) → 422, in the same
  shape as django-ninja's own schema errors: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`.
  Body fields are located as `["body", "payload", field]` (every write operation names its body
  parameter `payload`, as ninja would locate a schema error); on GET they are `["query", field]`.
- `ConflictError` → 409 `{"detail": message, "current_version": n}`.
- `Http404`, `ObjectDoesNotExist`, `NotAllowed` → 404 `{"detail": "Not found."}`: not allowed looks
  exactly like not found, so existence does not leak. `NotAllowed` is written to the event log.
- `PermissionDenied` → 403 `{"detail": "You do not have permission to do this."}`: only for creating in a
  collection the role may not add to (there is no object whose existence could leak).
- `AuthenticationError` (no, unknown, expired or revoked token) → 401 with `WWW-Authenticate: Bearer`.
- `RequestProblem` (api/parser.py: a body that is not JSON, or holds text no column can store) → its 400,
  415 or 422, and `RequestDataTooBig` → 413, with every problem listed in the 422 shape.
- `IntegrityError` from a unique constraint (two requests at once passing a service's own check) → 422
  naming the field, as the service would have a moment later (core/services/integrity.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from joinedup.api.parser import RequestProblem, body_too_large
from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.services.integrity import unique_violation

BODY_PARAM = "payload"
NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to do this."
UNAUTHORISED = "Authentication required: send a valid API token as 'Authorization: Bearer <token>'."
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def field_errors(exc: ValidationError, *, method: str) -> list[dict[str, Any]]:
    """Every error in a Django ValidationError as ninja-shaped items, field by field, message by message."""
    prefix: list[str | int] = ["body", BODY_PARAM] if method.upper() in WRITE_METHODS else ["query"]
    error_dict: dict[str, list[ValidationError]] = (
        exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    )
    items = []
    for field, errors in error_dict.items():
        loc = prefix if field == NON_FIELD_ERRORS else [*prefix, field]
        for error in errors:
            for message in error:  # a ValidationError iterates over its formatted messages
                items.append({"loc": list(loc), "msg": str(message), "type": error.code or "value_error"})
    return items


def install_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": field_errors(exc, method=request.method or "")}, status=422
        )

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc), "current_version": exc.current_version}, status=409
        )

    @api.exception_handler(NotAllowed)
    def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        record_event(EventType.PERMISSION_DENIED, request=request, detail={"reason": str(exc), "via": "api"})
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": FORBIDDEN}, status=403)

    @api.exception_handler(RequestProblem)
    def request_problem(request: HttpRequest, exc: RequestProblem) -> HttpResponse:
        return api.create_response(request, {"detail": exc.problems}, status=exc.status)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja wraps whatever the body parser raises in "HttpError(400, 'Cannot parse request body')".
        if isinstance(exc.__cause__, RequestProblem):
            return request_problem(request, exc.__cause__)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return request_problem(request, body_too_large())

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        error = unique_violation(exc)
        if error is None:
            raise exc
        return validation_error(request, error)

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"detail": UNAUTHORISED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="Joined Up API"'
        return response
