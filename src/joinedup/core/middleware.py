"""Request-wide middleware: a request id for the audit log, and refusing input nothing can store."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from joinedup.core.audit import current_request
from joinedup.core.logging import logged_path, request_user_id
from joinedup.core.text import unstorable_reason

request_log = logging.getLogger("joinedup.request")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        token = current_request.set(request)
        try:
            response: Any = self.get_response(request)
            # The request log: the path without its query string (searches for people travel in it) or
            # its secrets.
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": request_user_id(request),
                },
            )
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request_id
        return response


# Pages that stay in English whatever the reader chose: staff pages, the admin, the API and the calendar feeds.
ENGLISH_ONLY_PREFIXES = ("/staff/", "/admin/", "/api/", "/calendar/")


def public_language(request: HttpRequest) -> str:
    """The language of the page: on the public site the one chosen with the language switch (a cookie set by
    Django's set_language view), English otherwise. The browser's Accept-Language is not consulted, so the
    same address reads the same for everyone until they choose (docs/adr/0033)."""
    if request.path.startswith(ENGLISH_ONLY_PREFIXES):
        return settings.LANGUAGE_CODE
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


class PublicLanguageMiddleware:
    """Turn on the page's language (see `public_language`) for the request, and say which it is in the
    response. The public URLs stay as they are: no language prefix."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = public_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.activate(settings.LANGUAGE_CODE)
        if not request.path.startswith(ENGLISH_ONLY_PREFIXES):
            # A cache must not give a Welsh page to an English reader, or the other way round.
            patch_vary_headers(response, ("Cookie",))
            response.headers.setdefault("Content-Language", language)
        return response


API_PREFIX = "/api/"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _problem(loc: list[str | int], msg: str, type_: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": type_}


class RequestGuardMiddleware:
    """Refuse, before any view runs, input that no page or API operation can store or answer sensibly.

    A NUL character in the path, in a query parameter or in a submitted form field (PostgreSQL cannot
    store or even compare it), and a form body over `DATA_UPLOAD_MAX_MEMORY_SIZE`. The API answers
    JSON listing every problem (400 for the path, 422 for parameters and fields, 413 for size, in the
    shape of its other errors); pages answer a 400 page saying what was wrong. File uploads (multipart)
    are left to their views, which check their own files. The API also answers a wrong method (405)
    in JSON, with its `Allow` header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        status, problems = self._problems(request)
        if problems:
            return self._refuse(request, status, problems)
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {"detail": f"{request.method} is not allowed here; use {allowed or 'another method'}."},
                status=405,
            )
            if allowed:
                response["Allow"] = allowed
        return response

    def _problems(self, request: HttpRequest) -> tuple[int, list[dict[str, Any]]]:
        problems: list[dict[str, Any]] = []
        reason = unstorable_reason(request.path)
        if reason:
            problems.append(_problem(["path"], reason, "path_unstorable"))
            return 400, problems
        for key, values in request.GET.lists():
            for value in (key, *values):
                reason = unstorable_reason(value)
                if reason:
                    problems.append(_problem(["query", _printable(key)], reason, "string_unstorable"))
                    break
        if request.method in ("POST", "PUT", "PATCH") and request.content_type == FORM_CONTENT_TYPE:
            try:
                form = request.POST
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
                return 413, [
                    _problem(["body"], f"The form is larger than {limit:,} bytes.", "body_too_large")
                ]
            for key, values in form.lists():
                for value in (key, *values):
                    reason = unstorable_reason(value)
                    if reason:
                        problems.append(_problem(["form", _printable(key)], reason, "string_unstorable"))
                        break
        return 422, problems

    def _refuse(self, request: HttpRequest, status: int, problems: list[dict[str, Any]]) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": problems}, status=status)
        # A page: 400 (or 413) with the problems in words; nothing has been saved.
        return render(
            request,
            "core/bad_request.html",
            {"problems": problems},
            status=413 if status == 413 else 400,
        )


def _printable(value: str) -> str:
    return value if unstorable_reason(value) is None else value.encode("unicode_escape").decode()
