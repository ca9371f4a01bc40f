"""Reading a request body for /api/v1 strictly: JSON only, within the size limit, text that can be stored.

Every problem becomes a 4xx whose body lists the problems in the same shape as a 422
(`{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`):

- a body that is not `application/json` → **415**;
- larger than Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` → **413**;
- not JSON, or not UTF-8 → **400**, with the line and column;
- a string anywhere in it holding a NUL character or half of a UTF-16 surrogate pair (which no database
  column can store) → **422**, one item for every such string, located like a field error.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.parser import Parser

from joinedup.core.text import unstorable_reason

BODY_LOC: list[str | int] = ["body", "payload"]


class RequestProblem(Exception):
    """A request the API refuses before any operation runs: its status and every problem with it."""

    def __init__(self, status: int, problems: list[dict[str, Any]]) -> None:
        self.status = status
        self.problems = problems
        super().__init__("; ".join(str(p["msg"]) for p in problems))


def problem(loc: list[str | int], msg: str, type_: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": type_}


def unstorable_strings(value: Any, loc: list[str | int]) -> list[dict[str, Any]]:
    """One problem for every string (object keys included) in decoded JSON that cannot be stored."""
    found: list[dict[str, Any]] = []
    if isinstance(value, str):
        reason = unstorable_reason(value)
        if reason:
            found.append(problem(loc, reason, "string_unstorable"))
    elif isinstance(value, dict):
        for key, item in value.items():
            reason = unstorable_reason(key)
            if reason:
                found.append(problem([*loc, key.encode("unicode_escape").decode()], reason, "key_unstorable"))
                continue
            found.extend(unstorable_strings(item, [*loc, key]))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(unstorable_strings(item, [*loc, index]))
    return found


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def body_too_large() -> RequestProblem:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return RequestProblem(
        413,
        [
            problem(
                ["body"],
                f"The body is larger than {limit:,} bytes, the most this API accepts.",
                "body_too_large",
            )
        ],
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number: send a number or null.")


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        content_type = (request.content_type or "").lower()
        if not _is_json(content_type):
            raise RequestProblem(
                415,
                [
                    problem(
                        ["header", "Content-Type"],
                        f"Send the body as JSON with 'Content-Type: application/json' "
                        f"(got {content_type or 'no content type'!r}).",
                        "unsupported_media_type",
                    )
                ],
            )
        body = request.body  # over DATA_UPLOAD_MAX_MEMORY_SIZE: RequestDataTooBig, a 413 (api/errors.py)
        try:
            data = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except UnicodeDecodeError as exc:
            raise RequestProblem(
                400, [problem(["body"], f"The body is not UTF-8 text (byte {exc.start}).", "body_not_utf8")]
            ) from None
        except json.JSONDecodeError as exc:
            raise RequestProblem(
                400,
                [
                    problem(
                        ["body"],
                        f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
                        "json_invalid",
                    )
                ],
            ) from None
        except ValueError as exc:
            raise RequestProblem(
                400, [problem(["body"], f"The body is not valid JSON: {exc}", "json_invalid")]
            ) from None
        except RecursionError:
            raise RequestProblem(
                400, [problem(["body"], "The body is nested too deeply.", "json_invalid")]
            ) from None
        problems = unstorable_strings(data, list(BODY_LOC))
        if problems:
            raise RequestProblem(422, problems)
        return data
