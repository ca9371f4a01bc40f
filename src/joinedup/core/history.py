"""Field-level history of a record, as people read it: who, when, which field, before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(record: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    try:
        model_field = record.instance_type._meta.get_field(field_name)
    except Exception:
        return str(value)
    if isinstance(value, list):  # many-to-many: list of {"<model>": pk} dicts
        related = model_field.related_model
        ids = [next(iter(item.values())) if isinstance(item, dict) else item for item in value]
        names = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        return ", ".join(sorted(names.get(i, f"#{i}") for i in ids)) or "(none)"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    return str(value)


def field_history(instance: Any, *, limit: int = 100, hidden: tuple[str, ...] = ()) -> list[HistoryEntry]:
    hidden = (*hidden, "version", "updated_at", "updated_by", "created_at", "created_by")
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        who = str(record.history_user) if record.history_user else "System"
        action = {"+": "Created", "~": "Changed", "-": "Deleted"}.get(
            record.history_type, record.history_type
        )
        entry = HistoryEntry(
            when=record.history_date, who=who, action=action, reason=record.history_change_reason or ""
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in hidden:
                    continue
                label = str(instance._meta.get_field(change.field).verbose_name).capitalize()
                entry.changes.append(
                    FieldChange(
                        label,
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
            if not entry.changes:
                continue
        entries.append(entry)
    return entries
