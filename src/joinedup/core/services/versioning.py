"""Saving a versioned record: refuse a stale save instead of silently overwriting someone else's."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from joinedup.core.models import VersionedModel

from .errors import ConflictError


def save_versioned(obj: VersionedModel, *, expected_version: int, actor: Any, reason: str = "") -> None:
    """Save `obj` only if nobody has saved it since `expected_version`; bump the version.

    Must run inside a transaction so the check, the save and its history row stand or fall together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_versioned must run inside transaction.atomic()")
    model = type(obj)
    claimed = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if claimed != 1:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise ConflictError(current_version=current)
    obj.version = expected_version + 1
    stamp(obj, actor=actor, reason=reason)
    obj.save()


CHANGE_REASON_LENGTH = 100


def stamp(obj: Any, *, actor: Any, reason: str = "") -> None:
    """Attribute the coming save: who (for history and updated_by) and why."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = actor
            if obj._state.adding and hasattr(obj, "created_by_id"):
                obj.created_by = actor
    if reason:
        # simple-history keeps the reason in 100 characters; PostgreSQL refuses more rather than cutting it.
        obj._change_reason = (
            reason if len(reason) <= CHANGE_REASON_LENGTH else reason[: CHANGE_REASON_LENGTH - 1] + "…"
        )
