"""Field-level history of a record, as people read it: who, when, which field, before and after.

The diffs are worked out in memory from the history rows, with one query per many-to-many field for all
entries shown, so a record's page costs the same few queries however long its history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

ALWAYS_HIDDEN = ("id", "version", "updated_at", "updated_by", "created_at", "created_by")
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


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


class _Display:
    """Turns stored values into words, looking up related names in one query per related model."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.names: dict[type[models.Model], dict[Any, str]] = {}

    def preload(self, model_field: Any, ids: set[Any]) -> None:
        related = model_field.related_model
        wanted = ids - set(self.names.get(related, {}))
        if wanted:
            found = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=wanted)}
            self.names.setdefault(related, {}).update(found)

    def __call__(self, model_field: Any, value: Any) -> str:
        if isinstance(value, frozenset):
            if not value:
                return "(none)"
            names = self.names.get(model_field.related_model, {})
            return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in value))
        if value is None or value == "":
            return "(blank)"
        if getattr(model_field, "choices", None):
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return "Yes" if value else "No"
        if isinstance(model_field, models.ForeignKey):
            return self.names.get(model_field.related_model, {}).get(value, f"#{value}")
        return str(value)


def _m2m_values(history_model: Any, records: list[Any], hidden: set[str]) -> dict[str, dict[int, frozenset]]:
    """For each tracked many-to-many field: history row id → the set of related ids at that time."""
    values: dict[str, dict[int, frozenset]] = {}
    ids = [record.history_id for record in records]
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        if m2m_field.name in hidden:
            continue
        through = next(
            rel.related_model
            for rel in history_model._meta.related_objects
            if rel.related_model.__name__.endswith("_" + m2m_field.name)
        )
        target = through._meta.get_field(m2m_field.m2m_reverse_field_name()).attname
        grouped: dict[int, set[Any]] = defaultdict(set)
        for history_id, target_id in through.objects.filter(history_id__in=ids).values_list(
            "history_id", target
        ):
            grouped[history_id].add(target_id)
        values[m2m_field.name] = {history_id: frozenset(grouped.get(history_id, ())) for history_id in ids}
    return values


def field_history(instance: Any, *, limit: int = 100, hidden: tuple[str, ...] = ()) -> list[HistoryEntry]:
    skip = {*hidden, *ALWAYS_HIDDEN}
    history_model = instance.history.model
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = [f for f in history_model.tracked_fields if f.name not in skip]
    m2m = _m2m_values(history_model, records, skip)
    model_fields = {f.name: instance._meta.get_field(f.name) for f in fields}
    model_fields.update({name: instance._meta.get_field(name) for name in m2m})

    def value(record: Any, name: str) -> Any:
        if name in m2m:
            return m2m[name][record.history_id]
        return getattr(record, model_fields[name].attname)

    # One save can write several history rows (the record, then each many-to-many change). On versioned
    # records they share the version number, so they are shown as the one change they were.
    groups: list[list[Any]] = []
    for record in records[:limit]:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.history_type == "~"
            and record.history_type in ("~", "+")
            and getattr(record, "version", None) is not None
            and getattr(record, "version", None) == getattr(last, "version", None)
            and record.history_user_id == last.history_user_id
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
    position = {record.history_id: index for index, record in enumerate(records)}

    changed: list[tuple[Any, str, str, list[tuple[str, Any, Any]]]] = []
    display = _Display(type(instance))
    related_ids: dict[str, set[Any]] = defaultdict(set)
    for group in groups:
        newest, oldest = group[0], group[-1]
        action = ACTIONS.get(oldest.history_type, oldest.history_type)
        reason = next((r.history_change_reason for r in group if r.history_change_reason), "") or ""
        index = position[oldest.history_id] + 1
        previous = records[index] if index < len(records) else None
        deltas = []
        if previous is not None and oldest.history_type == "~":
            for name in model_fields:
                old, new = value(previous, name), value(newest, name)
                if old != new:
                    deltas.append((name, old, new))
                    if model_fields[name].is_relation:
                        for item in (old, new):
                            if isinstance(item, frozenset):
                                related_ids[name].update(item)
                            elif item is not None:
                                related_ids[name].add(item)
            if not deltas:
                continue
        changed.append((newest, action, reason, deltas))
    for name, ids in related_ids.items():
        display.preload(model_fields[name], ids)

    entries = []
    for record, action, reason, deltas in changed:
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "System",
            action=action,
            reason=reason,
        )
        for name, old, new in deltas:
            model_field = model_fields[name]
            label = str(model_field.verbose_name).capitalize()
            entry.changes.append(FieldChange(label, display(model_field, old), display(model_field, new)))
        entries.append(entry)
    return entries
