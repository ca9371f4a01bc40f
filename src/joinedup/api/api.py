"""The /api/v1 router: bearer-token auth, error shapes, and each app's endpoints mounted."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI, Swagger

from joinedup.api.auth import AnonymousRateThrottle, BearerToken, TokenRateThrottle
from joinedup.api.contract import harden
from joinedup.api.errors import NOT_FOUND, install_exception_handlers
from joinedup.api.parser import StrictJSONParser
from joinedup.core.api import router as core_router

if TYPE_CHECKING:
    from ninja.operation import Operation

DESCRIPTION = """
The programming interface of Joined Up, the shared workspace of a police and crime partnership.

**Authentication.** Every operation needs a personal API token, sent as `Authorization: Bearer <token>`.
Create one on your account page in the staff site (or an operator runs `joinedup tokens create --user
EMAIL`); it is shown once and stored only as a hash. The token acts as its owner, with exactly the owner's
role and areas. A token expires (90 days by default) and has a scope: a **read** token may only use GET,
HEAD and OPTIONS, and gets **403** on any other method; a **read-write** token may do whatever its owner
may. No, unknown, expired or revoked token: **401**.

**Rate limits.** Each token may make a limited number of requests a minute (600 by default; operations
open without a token: per client address). Past the limit: **429** with a `Retry-After` header giving the
seconds to wait.

**Errors.** Every error body has a `detail`:

* **422**: the request is invalid. `detail` lists *every* problem at once, each as
  `{"loc": [...], "msg": "...", "type": "..."}`; `loc` is `["body", "payload", field]` for a field
  of the request body and `["query", parameter]` for a query parameter.
* **404** `{"detail": "Not found."}`: the record does not exist *or your role may not see or change
  it*. The two are deliberately indistinguishable.
* **403** `{"detail": "You do not have permission to do this."}`: only when creating a record in a
  collection your role may not add to (for example `POST /organisations` as an analyst).
* **409** `{"detail": "...", "current_version": n}`: someone saved the record after you read it.
  Records people edit together carry a `version`; send the version you read with every update. Nothing
  has been saved: read the record again and reapply your change.

**Refused requests** list every problem in the 422 shape too:

* **400**: the path holds a NUL character, or the body is not JSON (the message gives its line and
  column).
* **413**: the body is larger than 2.5 MB (Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`).
* **415**: a body that is not `Content-Type: application/json` (the CSV import takes `text/csv`).
* **422** also for a NUL character or half of a surrogate pair in any string or query parameter (no
  database can store them), a body that is not a JSON object, an integer outside the signed 64-bit
  range, and text longer than its limit: each text field's `maxLength` is its column's, free text (notes,
  descriptions, narratives) at most 20000 characters and a query parameter at most 500. A name another
  record already has (for example an organisation's, whatever its case) is a 422 on that field, even when
  two requests race.

**Lists** take `limit` (default 50, at most 500) and `offset`, and answer
`{"count": total, "items": [...]}`.
"""


# An app's operations keep the prefix of the app they were first published under, so that clients
# generated from an earlier OpenAPI document keep working: the Panel's were csp's (docs/adr/0042).
OPERATION_PREFIX = {"scrutiny": "csp"}


class JoinedUpAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`<app>_<function>`, e.g. `core_list_organisations`: short, stable and unique across apps."""
        module = operation.view_func.__module__
        parts = module.split(".")
        app = parts[1] if len(parts) > 2 and parts[0] == "joinedup" else module.replace(".", "_")
        return f"{OPERATION_PREFIX.get(app, app)}_{operation.view_func.__name__}"


# Swagger UI from the files django-ninja ships (served from our own /static/, no CDN), so the docs work
# offline. Its template has no inline script (settings travel in a JSON data block), so it runs under
# our Content-Security-Policy unchanged; see api/tests/test_docs.py.
# Our own page around it names its language and puts the documentation in a main landmark.
class Docs(Swagger):
    template = "api/docs.html"


docs = Docs(settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False})

api = JoinedUpAPI(
    title="Joined Up API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs=docs,
    docs_url="/docs",
    auth=BearerToken(),
    throttle=[TokenRateThrottle(), AnonymousRateThrottle()],
    parser=StrictJSONParser(),
)
install_exception_handlers(api)

# Each app mounts its router here; an app's `api.py` (and a sub-area's, such as funding's
# `commissioning/api.py` or casework's `risk/api.py`: docs/adr/0042) exposes `router`. They are imported by
# name, so no app imports the api app's assembly (docs/adr/0025).
api.add_router("/", core_router)
for _name, _prefix in [
    ("funding.api", "/"),
    ("funding.commissioning.api", "/"),
    ("casework.api", "/"),
    ("casework.risk.api", "/"),
    ("casework.reviews.api", "/"),
    ("casework.kpis.api", "/"),
    ("insight.api", "/insight"),
    ("csp.api", "/csp"),
    # The Police and Crime Panel keeps the paths it had under csp (/api/v1/csp/panel/...; docs/adr/0042).
    ("scrutiny.api", "/csp"),
    ("partnerships.api", "/partnerships"),
    ("performance.api", "/performance"),
]:
    try:
        _module = importlib.import_module(f"joinedup.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"joinedup.{_name}":
            raise
        continue
    api.add_router(_prefix, _module.router)

# Every integer bounded, every text length-limited, every schema name unique (see api/contract.py).
harden(api)


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any /api/v1/ path no operation answers: the API's own 404, in JSON like every other error."""
    return JsonResponse({"detail": NOT_FOUND}, status=404)
