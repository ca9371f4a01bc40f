"""Helpers for tests that walk the whole API (e.g. the permission matrix)."""

from __future__ import annotations

from joinedup.api.api import api

API_ROOT = "/api/v1"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def api_operations() -> list[tuple[str, str, str]]:
    """(METHOD, path template, operation_id) for every operation in the OpenAPI schema.

    Paths are relative to the API root, e.g. ("PUT", "/organisations/{id}", "core_update_organisation"):
    request `API_ROOT + path.format(...)`.
    """
    schema = api.get_openapi_schema(path_prefix="")
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operations.append((method.upper(), path, operation["operationId"]))
    return sorted(operations, key=lambda op: (op[1], op[0]))
