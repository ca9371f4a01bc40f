"""Making the OpenAPI document true for every operation, whichever app wrote it (see docs/adr/0014).

`harden(api)` runs once, after every app's router is mounted, over every pydantic model an operation
takes or answers with:

- **Integers** an operation takes are bounded to what the database stores (a signed 64-bit integer), so
  `offset=9223372036854775808` or an id of twenty digits is a 422 naming the parameter, not an overflow
  deep in the database driver. Bounds a schema already states are kept.
- **Text** an operation takes has a length limit: the model field's `max_length` where the schema says
  which model it fills (`limits_from(Model)`, core/api_schemas.py), otherwise `TEXT_MAX_LENGTH` for body fields (free text,
  i.e. what a `TextField` holds) and `QUERY_MAX_LENGTH` for query and path parameters. Limits a schema
  states itself are kept.
- **Choices**: a field whose default is not among its documented choices is documented as required
  (the service refuses the default), so the document has no default outside its enum.
- **Bodies** documented as an object must be a JSON object (`null`, a list or a string is a 422).
- **Refusals**: every operation documents 400, 404 (not allowed looks like not found) and 422, and one taking a JSON body 413 and 415, in the
  422 shape (api/parser.py and core/middleware.py answer them).
- **Names**: the document has one namespace of schema names, but apps name their schemas freely. Models
  that share a class name are renamed `<App><Name>` (e.g. `PartnershipsReviewOut`), so no operation
  documents another's body.

Models are changed in place and rebuilt (children before parents), so validation and the document
always agree.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Union

import annotated_types
from django.db import models
from pydantic import BaseModel

from joinedup.core.api_schemas import LIMITS_MODEL_ATTRIBUTE

if TYPE_CHECKING:
    from ninja import NinjaAPI

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
# Free text (a TextField) taken by the API: generous for a narrative, small enough to refuse abuse.
TEXT_MAX_LENGTH = 20_000
# A query or path parameter: a search, a code, a filter.
QUERY_MAX_LENGTH = 500

_BOUNDED = "__joinedup_bounded__"
_LIMITS_MODEL = LIMITS_MODEL_ATTRIBUTE
_BODY_SOURCES = {"body", "form", "file"}


def _model_text_limit(model: type[models.Model] | None, name: str) -> int | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    max_length = getattr(field, "max_length", None)
    return int(max_length) if max_length else None


def _has_constraint(metadata: list[Any], *kinds: type) -> bool:
    return any(isinstance(item, kinds) for item in metadata) or any(
        any(isinstance(inner, kinds) for inner in getattr(item, "metadata", []) or []) for item in metadata
    )


def _bounded(annotation: Any, *, text_limit: int, outer: list[Any]) -> Any:
    """`annotation` with every bare int leaf bounded and every bare str leaf given a maximum length."""
    if annotation is int and not _has_constraint(outer, annotated_types.Le, annotated_types.Lt):
        return Annotated[int, annotated_types.Ge(INT_MIN), annotated_types.Le(INT_MAX)]
    if annotation is str and not _has_constraint(outer, annotated_types.MaxLen):
        return Annotated[str, annotated_types.MaxLen(text_limit)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is None or not args:
        return annotation
    if origin is Annotated:
        inner = _bounded(args[0], text_limit=text_limit, outer=[*outer, *args[1:]])
        return annotation if inner is args[0] else Annotated[(inner, *args[1:])]
    if origin is typing.Literal:
        return annotation
    new_args = tuple(_bounded(arg, text_limit=text_limit, outer=[]) for arg in args)
    if new_args == args:
        return annotation
    if origin in (Union, types.UnionType):
        return Union[new_args]  # noqa: UP007 (built from a tuple)
    if origin in (list, set, frozenset, tuple, dict):
        return origin[new_args]
    return annotation


def _walk(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _walk(arg)


def _operations(api: NinjaAPI) -> Iterator[Any]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _collect(roots: list[type[BaseModel]]) -> list[type[BaseModel]]:
    """Every model reachable from `roots`, each after the models it contains (so children rebuild first)."""
    ordered: list[type[BaseModel]] = []
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for field in model.model_fields.values():
            for child in _walk(field.annotation):
                visit(child)
        ordered.append(model)

    for root in roots:
        visit(root)
    return ordered


def _app_label(model: type[BaseModel]) -> str:
    parts = model.__module__.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "joinedup" else parts[0]


def _rename_clashes(models_: list[type[BaseModel]]) -> dict[str, list[str]]:
    by_name: dict[str, list[type[BaseModel]]] = defaultdict(list)
    for model in models_:
        by_name[model.__name__].append(model)
    taken = set(by_name)
    renamed: dict[str, list[str]] = {}
    for name, group in by_name.items():
        if len(group) < 2:
            continue
        renamed[name] = []
        for model in group:
            new = f"{_app_label(model).title()}{name}"
            counter = 2
            while new in taken:  # two models of one app (or two generated ones) with one name
                new, counter = f"{_app_label(model).title()}{name}{counter}", counter + 1
            taken.add(new)
            model.__name__ = model.__qualname__ = new
            renamed[name].append(new)
    return renamed


def _bound_fields(model: type[BaseModel], *, text_limit: int) -> bool:
    changed = False
    limits_model = getattr(model, _LIMITS_MODEL, None)  # inherited: a subclass fills the same model
    for name, field in model.model_fields.items():
        limit = _model_text_limit(limits_model, name) or text_limit
        new = _bounded(field.annotation, text_limit=limit, outer=list(field.metadata))
        if new is not field.annotation:
            field.annotation = new
            changed = True
    return changed


def _require_enum_defaults(schema: dict[str, Any]) -> None:
    """A field whose default is not one of its documented choices must in fact be sent (the service
    refuses the default): document it as required, without the default."""
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    for name, prop in properties.items():
        if "default" in prop and "enum" in prop and prop["default"] not in prop["enum"]:
            del prop["default"]
            required.add(name)
    if required:
        schema["required"] = sorted(required)


def _document_required_choices(model: type[BaseModel]) -> None:
    extra = model.model_config.get("json_schema_extra")

    def post_process(schema: dict[str, Any], cls: Any = None) -> None:
        if callable(extra):
            extra(schema) if extra.__code__.co_argcount == 1 else extra(schema, cls)  # type: ignore[call-arg]
        elif isinstance(extra, dict):
            schema.update(extra)
        _require_enum_defaults(schema)

    model.model_config["json_schema_extra"] = post_process


def _document_refusals(operation: Any) -> None:
    """Every operation may answer 400 (a malformed path) and 422; one with a JSON body also 413 and 415."""
    from joinedup.core.api_schemas import ErrorOut, ValidationErrorOut

    statuses = [400, 404, 422]  # 404: not found, or not allowed (which looks the same from outside)
    if any(getattr(m, "__ninja_param_source__", "") == "body" for m in operation.models):
        statuses += [413, 415]
    elif "requestBody" in (operation.openapi_extra or {}):  # a body the view reads itself (a CSV file)
        statuses += [413]
    for status in statuses:
        if status not in operation.response_models:
            # A 404 says only "Not found." (whatever the reason); the others list every problem.
            body = ErrorOut if status == 404 else ValidationErrorOut
            operation.response_models[status] = operation._create_response_model(body)


def _require_object_body(param_model: Any) -> None:
    """A body documented as an object must be a JSON object: ninja's schemas read attributes, so `null`,
    `[1, 2, 3]` or `"x"` would otherwise validate as an object with every field left at its default."""
    varname: str = getattr(param_model, "__read_from_single_attr__", None) or ""
    field = param_model.model_fields.get(varname) if varname else None
    if field is None or not any(True for _ in _walk(field.annotation)):
        return
    original = param_model.get_request_data

    def get_request_data(request: Any, api: Any, path_params: Any) -> Any:
        from joinedup.api.parser import RequestProblem, problem

        data = original(request, api, path_params)
        if data is not None and not isinstance(data.get(varname), dict):
            sent = type(data.get(varname)).__name__.replace("NoneType", "null")
            raise RequestProblem(
                422,
                [problem(["body", varname], f"Send a JSON object (got {sent}).", "model_attributes_type")],
            )
        return data

    param_model.get_request_data = get_request_data


def harden(api: NinjaAPI) -> dict[str, list[str]]:
    """Bound the inputs and de-duplicate the schema names of every operation; returns the renames."""
    inputs: dict[type[BaseModel], int] = {}
    outputs: list[type[BaseModel]] = []
    wrappers: set[type[BaseModel]] = set()  # ninja's per-operation parameter and response models
    for operation in _operations(api):
        _document_refusals(operation)
        for param_model in operation.models:
            if getattr(param_model, "__ninja_param_source__", "") == "body":
                _require_object_body(param_model)
        wrappers.update(operation.models)
        wrappers.update(m for m in operation.response_models.values() if isinstance(m, type))
        for param_model in operation.models:
            source = getattr(param_model, "__ninja_param_source__", "body")
            limit = TEXT_MAX_LENGTH if source in _BODY_SOURCES else QUERY_MAX_LENGTH
            for model in _collect([param_model]):
                inputs[model] = max(inputs.get(model, 0), limit)
        for response_model in operation.response_models.values():
            outputs.extend(_walk(response_model))
    everything = _collect([*inputs, *outputs])
    renamed = _rename_clashes([m for m in everything if m not in wrappers])
    for model in everything:
        if model in inputs and not model.__dict__.get(_BOUNDED, False):
            _bound_fields(model, text_limit=inputs[model])
            _document_required_choices(model)
            setattr(model, _BOUNDED, True)
        model.model_rebuild(force=True)
    return renamed
