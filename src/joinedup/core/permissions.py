"""One permission check for pages, API and CLI alike.

Every action is a named rule: which roles may do it, and optionally an object check (may this user do it
to this record?) and a queryset restriction (which records may this user do it to?). Apps register their
rules in their own `rules.py`; roles are defined once in `core.roles`.

    has_permission(user, "organisations.change", organisation)
    Organisation.objects.restrict(user, "organisations.view")

An unknown action is a programming error and raises, so a typo never silently allows or denies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from joinedup.core.roles import STAFF_ROLES

ObjectCheck = Callable[[Any, Any], bool]
QuerysetFilter = Callable[[Any, QuerySet], QuerySet]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Rule:
    action: str
    description: str
    roles: frozenset[str]
    object_check: ObjectCheck | None = None
    queryset_filter: QuerysetFilter | None = None


RULES: dict[str, Rule] = {}
ALL_ROLES: tuple[str, ...] = STAFF_ROLES


def register(
    action: str,
    *,
    roles: Iterable[str],
    description: str,
    object_check: ObjectCheck | None = None,
    queryset_filter: QuerysetFilter | None = None,
) -> str:
    roles = frozenset(roles)
    unknown = roles - set(STAFF_ROLES)
    if unknown:
        raise ImproperlyConfigured(f"Rule {action!r} names unknown roles: {sorted(unknown)}")
    if action in RULES:
        raise ImproperlyConfigured(f"Rule {action!r} is registered twice.")
    RULES[action] = Rule(action, description, roles, object_check, queryset_filter)
    return action


def get_rule(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise ImproperlyConfigured(f"No permission rule is registered for {action!r}.") from None


def role_allows(role: str, action: str) -> bool:
    return role in get_rule(action).roles


def has_permission(user: Any, action: str, obj: Any = None) -> bool:
    rule = get_rule(action)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role not in rule.roles:
        return False
    if obj is not None and rule.object_check is not None:
        return bool(rule.object_check(user, obj))
    return True


def restrict(queryset: QuerySet[M], user: Any, action: str) -> QuerySet[M]:
    """Narrow a queryset to the rows `user` may perform `action` on."""
    rule = get_rule(action)
    if not has_permission(user, action):
        return queryset.none()
    if rule.queryset_filter is not None:
        return rule.queryset_filter(user, queryset)
    return queryset


def actions_for_role(role: str) -> list[Rule]:
    return sorted((r for r in RULES.values() if role in r.roles), key=lambda r: r.action)


# --- area scope, shared by rules in every app -------------------------------------------------------


def scope_area_ids(user: Any) -> set[int]:
    """The ids of the areas a user works for and every area inside them."""
    from joinedup.core.models import Area

    cached = getattr(user, "_scope_area_ids", None)
    if cached is not None:
        return set(cached)
    own = list(user.areas.values_list("pk", flat=True)) if user.pk else []
    if not own:
        ids: set[int] = set()
    else:
        ids = set(
            Area.objects.filter(Q(pk__in=own) | Q(lad__in=own) | Q(csp__in=own) | Q(pfa__in=own)).values_list(
                "pk", flat=True
            )
        )
    user._scope_area_ids = frozenset(ids)
    return ids
