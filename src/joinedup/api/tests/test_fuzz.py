"""schemathesis over every operation of the OpenAPI document, as two roles: no 5xx, no answer off-contract.

The document is walked, not listed, so a new endpoint is fuzzed as soon as it is mounted. Each generated
request runs in a savepoint that is rolled back, so every request starts from the same small data set
(made by `fuzz_data`) and a database error cannot poison the ones after it. The examples are bounded
(`FUZZ_EXAMPLES` per operation and role, default 8, after schemathesis' deterministic coverage cases) so the whole run fits CI on two cores; set the
environment variable higher for a deeper run on a quiet machine.

A failure names the operation, the role, the check that failed and a `curl` line that reproduces it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from joinedup.api.api import api
from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
ROLES = (Role.OPCC_ADMIN, Role.PRACTITIONER)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(db: Any) -> dict[str, str]:
    """A small force area, an organisation, and a bearer token for each fuzzed role."""
    areas = area_tree()
    organisation = OrganisationFactory(name="Fuzz Housing Association")
    tokens = {}
    for role in ROLES:
        user: User = UserFactory(
            role=role, email=f"fuzz.{role}@example.org", organisation=organisation, areas=[areas["pfa"]]
        )
        _token, raw = create_token(user=user, name="fuzzing", actor=None)
        tokens[role] = raw
    return tokens


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_operation_keeps_its_contract(
    case: Any, role: str, fuzz_data: dict[str, str], in_process_requests: None
) -> None:
    sid = transaction.savepoint()
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_data[role]}"}, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(sid)
