"""The OpenAPI document is valid and true: one name per schema, defaults inside their enums, every input
bounded. Walks the document, so it covers endpoints added later."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate
from pydantic import BaseModel

from joinedup.api.api import api
from joinedup.api.contract import INT_MAX, TEXT_MAX_LENGTH, _collect, _operations

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(Client().get("/api/v1/openapi.json").content)


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Any:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def test_the_document_passes_openapi_spec_validator(document: dict[str, Any]) -> None:
    validate(document)  # raises with the path of the first problem


def test_no_default_lies_outside_its_enum(document: dict[str, Any]) -> None:
    outside = [
        "/".join(map(str, path))
        for path, node in _walk(document)
        if isinstance(node, dict)
        and "enum" in node
        and "default" in node
        and node["default"] not in node["enum"]
    ]
    assert outside == []


def test_every_schema_the_api_uses_has_its_own_name() -> None:
    models: list[type[BaseModel]] = []
    for operation in _operations(api):
        for model in [*operation.models, *operation.response_models.values()]:
            if isinstance(model, type):
                models.extend(m for m in _collect([model]) if m not in operation.models)
    by_name: dict[str, set[str]] = {}
    for model in set(models):
        if model.__name__ != "NinjaResponseSchema":
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert shared == {}, f"Schema names used by more than one model (the document keeps only one): {shared}"


def test_schemas_that_shared_a_name_each_document_their_own_body(document: dict[str, Any]) -> None:
    """Before, one of each pair silently overwrote the other in the document."""
    schemas = document["components"]["schemas"]
    assert {"CoreOrganisationRef", "PartnershipsOrganisationRef", "PartnershipsReviewIn"} <= set(schemas)
    assert schemas["PartnershipsReviewIn"]["properties"].keys() >= {"reviewed_on", "decision"}
    assert "applicant_name" in schemas["CaseworkReviewIn"]["properties"]


def _unbounded(node: Any) -> bool:
    """An integer without a maximum, or free text (not a choice, not a date or binary) without a length."""
    if not isinstance(node, dict):
        return False
    if node.get("type") == "integer":
        return "maximum" not in node
    return node.get("type") == "string" and not {"maxLength", "enum", "format"} & set(node)


def test_every_integer_and_text_an_operation_takes_is_bounded(document: dict[str, Any]) -> None:
    unbounded = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        for _where, node in _walk(parameter["schema"])
        if _unbounded(node)
    ]
    inputs = {
        name: schema
        for name, schema in document["components"]["schemas"].items()
        if name.endswith(("In", "Create", "Entry")) or "Update" in name
    }
    unbounded += [
        f"{name} {'/'.join(map(str, where))}"
        for name, schema in inputs.items()
        for where, node in _walk(schema)
        if _unbounded(node)
    ]
    assert unbounded == []


def test_text_limits_follow_the_model_and_free_text_has_a_documented_cap(document: dict[str, Any]) -> None:
    organisation = document["components"]["schemas"]["OrganisationIn"]["properties"]

    assert organisation["name"]["maxLength"] == 200  # Organisation.name
    assert organisation["company_number"]["maxLength"] == 8
    assert organisation["description"]["maxLength"] == TEXT_MAX_LENGTH  # a TextField
    offset = next(p for p in document["paths"]["/api/v1/areas"]["get"]["parameters"] if p["name"] == "offset")
    assert offset["schema"]["maximum"] == INT_MAX
    assert str(TEXT_MAX_LENGTH) in document["info"]["description"].replace(",", "")


def test_every_operation_documents_its_refusals(document: dict[str, Any]) -> None:
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            wanted = {"400", "422"} | ({"413", "415"} if "requestBody" in operation else set())
            if "requestBody" in operation and "application/json" not in operation["requestBody"]["content"]:
                wanted -= {"415"}
            if not wanted <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(wanted - codes)}")
    assert missing == []
