"""How a service writes one record, the same in every app that uses it (csp, scrutiny): the permission
check, every validation problem at once (the model's rules, then the record's own), and the save, which
stamps a new record or refuses a change made from a stale version (ConflictError)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp


def require(user: Any, action: str, obj: Any = None) -> None:
    """`user` may `action` (on `obj`), or NotAllowed."""
    if not has_permission(user, action, obj):
        raise NotAllowed(action)


def validate(
    obj: models.Model,
    data: dict[str, Any],
    fields: tuple[str, ...],
    check: Callable[[Any, Errors], None] | None = None,
    *,
    exclude: tuple[str, ...] = (),
    blank_messages: dict[str, str] | None = None,
) -> None:
    """Apply `data` to `obj` and raise every problem at once: the model's rules (a blank field's message from
    `blank_messages` when it has one), then the record's own `check`."""
    errors: Errors = {}
    apply_fields(obj, data, fields, errors)
    collect_model_errors(obj, errors, exclude=exclude, validate_unique=True, blank_messages=blank_messages)
    if check is not None:
        check(obj, errors)
    if errors:
        raise ValidationError(errors)


def save_record(obj: Any, actor: Any, *, new: bool, expected_version: int | None) -> None:
    """Save a new record (stamped with who made it), or a change to one (refused with ConflictError if
    `expected_version` is stale)."""
    if new:
        stamp(obj, actor=actor)
        obj.save()
    else:
        save_versioned(obj, expected_version=expected_version or 0, actor=actor)


@dataclass(frozen=True)
class Writes:
    """How one kind of record is written, new or changed: who may (`action`), the `fields` the data sets, the
    record's own `check` after the model's rules, the model fields the service sets itself (`exclude`) and
    the messages for fields left blank."""

    action: str
    fields: tuple[str, ...]
    check: Callable[[Any, Errors], None] | None = None
    exclude: tuple[str, ...] = ()
    blank_messages: dict[str, str] | None = None

    def save(
        self, actor: Any, scope: Any, item: Any, data: dict[str, Any], expected_version: int | None = None
    ) -> Any:
        """`actor` may `action` on `scope`; `data` is applied to `item` with every problem at once; then
        it is saved: new, or changed from `expected_version`."""
        require(actor, self.action, scope)
        new = item.pk is None
        validate(
            item, data, self.fields, self.check, exclude=self.exclude, blank_messages=self.blank_messages
        )
        save_record(item, actor, new=new, expected_version=expected_version)
        return item
