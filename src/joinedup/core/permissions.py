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
    if obj is not None and not object_in_force(user, obj):
        return False
    if obj is not None and rule.object_check is not None:
        return bool(rule.object_check(user, obj))
    return True


def restrict(queryset: QuerySet[M], user: Any, action: str) -> QuerySet[M]:
    """Narrow a queryset to the rows `user` may perform `action` on, in the user's force areas."""
    rule = get_rule(action)
    if not has_permission(user, action):
        return queryset.none()
    if rule.queryset_filter is not None:
        queryset = rule.queryset_filter(user, queryset)
    return in_force(user, queryset)


def actions_for_role(role: str) -> list[Rule]:
    return sorted((r for r in RULES.values() if role in r.roles), key=lambda r: r.action)


# --- area scope, shared by rules in every app -------------------------------------------------------


def _own_area_ids(user: Any) -> list[int]:
    """The ids of the areas a user works for (User.areas), read once and kept on the user."""
    cached = getattr(user, "_own_area_ids", None)
    if cached is None:
        cached = list(user.areas.values_list("pk", flat=True)) if getattr(user, "pk", None) else []
        user._own_area_ids = cached
    return list(cached)


def own_area_ids(user: Any) -> frozenset[int]:
    """The ids of the areas a user works for (User.areas): with their role and organisation, all that the
    area and force scopes of every rule read about them."""
    return frozenset(_own_area_ids(user))


def load_own_areas(users: Iterable[Any]) -> None:
    """Read the areas of many people in one query and keep each person's on them, as `_own_area_ids` does
    for one (the daily digest reads thousands of people)."""
    from joinedup.core.models import User

    people = [user for user in users if getattr(user, "pk", None)]
    found: dict[int, list[int]] = {user.pk: [] for user in people}
    links = User.areas.through.objects.filter(user_id__in=list(found)).values_list("user_id", "area_id")
    for user_id, area_id in links.order_by("user_id", "area_id"):
        found[user_id].append(area_id)
    for user in people:
        user._own_area_ids = found[user.pk]


def _scope_areas_of(own: list[int]) -> QuerySet[Any]:
    from joinedup.core.models import Area

    return Area.objects.filter(Q(pk__in=own) | Q(lad__in=own) | Q(csp__in=own) | Q(pfa__in=own))


def scope_area_ids(user: Any) -> set[int]:
    """The ids of the areas a user works for and every area inside them (to check one record's area)."""
    cached = getattr(user, "_scope_area_ids", None)
    if cached is not None:
        return set(cached)
    own = _own_area_ids(user)
    ids: set[int] = set(_scope_areas_of(own).values_list("pk", flat=True)) if own else set()
    user._scope_area_ids = frozenset(ids)
    return ids


def scope_areas(user: Any) -> QuerySet[Any]:
    """The same areas as `scope_area_ids`, as a subquery (`.filter(area__in=scope_areas(user))`) for the
    rules that filter a table: a force-wide person's scope is thousands of areas, which cost far more to
    send to the database as a list of ids (about 30 ms a query) than the database takes to look up."""
    own = _own_area_ids(user)
    return _scope_areas_of(own).values("pk") if own else _scope_areas_of([]).none().values("pk")


# --- force scope, applied by `restrict` and `has_permission` to every force-specific model -------------
#
# A deployment may serve several police force areas. A person's force areas are the force areas of the
# areas they work for (User.areas, at any level); a person with none belongs to no force. A record's force
# areas are found through the lookups its app declares with `force_scoped` (each ends at a core.Area: a
# force area itself, or any area inside one). A record with none of them set belongs to no force and is
# shared, like the organisation directory. See docs/adr/0028.

FORCE_PATHS: dict[type[Model], tuple[str, ...]] = {}


def force_scoped(model: type[Model], *paths: str) -> None:
    """Declare how `model`'s force areas are found, so every restricted read of it is force-scoped."""
    if not paths:
        raise ImproperlyConfigured(f"{model.__name__} is force-scoped through no lookup.")
    if model in FORCE_PATHS:
        raise ImproperlyConfigured(f"{model.__name__} is force-scoped twice.")
    FORCE_PATHS[model] = paths


def force_area_ids(user: Any) -> set[int]:
    """The police force areas a user works in (the force area of each of their areas)."""
    from joinedup.core.models import AreaLevel

    cached = getattr(user, "_force_area_ids", None)
    if cached is not None:
        return set(cached)
    ids: set[int] = set()
    if getattr(user, "pk", None):
        for pk, level, pfa_id in user.areas.values_list("pk", "level", "pfa_id"):
            if level == AreaLevel.PFA:
                ids.add(pk)
            elif pfa_id:
                ids.add(pfa_id)
    user._force_area_ids = frozenset(ids)
    return ids


def _paths_of(model: type[Model]) -> tuple[str, ...] | None:
    for klass in model.__mro__:
        if klass in FORCE_PATHS:
            return FORCE_PATHS[klass]
    return None


def _force_areas(force_ids: Iterable[int]) -> QuerySet[Any]:
    """The areas inside the given police force areas: each force area itself and every area in it."""
    from joinedup.core.models import Area

    ids = list(force_ids)
    return Area.objects.filter(Q(pk__in=ids) | Q(pfa__in=ids))


def _force_scope_ids(user: Any) -> frozenset[int]:
    """The ids of every area inside the user's force areas (`force_q`'s subquery, read once per user and
    kept on it like `force_area_ids`), so one record's areas are compared by id without reading them."""
    cached = getattr(user, "_force_scope_area_ids", None)
    if cached is not None:
        return frozenset(cached)  # the same frozenset, not a copy
    forces = force_area_ids(user)
    ids = frozenset(_force_areas(forces).values_list("pk", flat=True)) if forces else frozenset()
    user._force_scope_area_ids = ids
    return ids


def force_q(paths: Iterable[str], force_ids: Iterable[int]) -> Q:
    """Rows in one of `force_ids` through any of `paths`, or with every path unset (shared).

    The force's areas are a subquery on the small area table, so a large table is filtered on its own
    area column without a join."""
    areas = _force_areas(force_ids).values("pk")
    inside, unset = Q(), Q()
    for path in paths:
        inside |= Q(**{f"{path}__in": areas})
        unset &= Q(**{f"{path}__isnull": True})
    return inside | unset


def _many_valued(model: type[Model], path: str) -> bool:
    """Whether a lookup crosses a many-to-many or reverse relation (and so could repeat rows)."""
    opts = model._meta
    for part in path.split("__"):
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        opts = field.related_model._meta
    return False


def in_force(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow `queryset` to the user's force areas (and shared rows) when its model is force-scoped."""
    paths = _paths_of(queryset.model)
    if paths is None:
        return queryset
    condition = force_q(paths, force_area_ids(user))
    if any(_many_valued(queryset.model, path) for path in paths):
        return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def _areas_at(obj: Any, path: str) -> list[Any]:
    values = [obj]
    for part in path.split("__"):
        found: list[Any] = []
        for value in values:
            attribute = getattr(value, part, None)
            if attribute is None:
                continue
            if hasattr(attribute, "all") and callable(attribute.all):
                found.extend(attribute.all())
            else:
                found.append(attribute)
        values = found
    return values


def _area_ids_at(obj: Any, path: str) -> list[int]:
    """The ids of the areas at the end of `path`: a foreign key's own column when the path ends in one (the
    area is not read), else the related areas (a many-to-many, prefetched or read)."""
    head, _sep, last = path.rpartition("__")
    ids: list[int] = []
    for holder in _areas_at(obj, head) if head else [obj]:
        field = holder._meta.get_field(last)
        if field.concrete and (field.many_to_one or field.one_to_one):
            area_id = getattr(holder, field.attname)
            if area_id is not None:
                ids.append(area_id)
        else:
            ids.extend(area.pk for area in _areas_at(holder, last))
    return ids


def object_in_force(user: Any, obj: Any) -> bool:
    """Whether one record is in the user's force areas (or shared); records of other models always are.

    The same test as `in_force`: an area the record names through any of its lookups is one of the areas
    inside the user's forces (held on the user after the first record), or it names none (shared)."""
    paths = _paths_of(type(obj))
    if paths is None:
        return True
    inside = _force_scope_ids(user)
    named = False
    for path in paths:
        for area_id in _area_ids_at(obj, path):
            if area_id in inside:
                return True
            named = True
    return not named


def _requesting_user() -> Any:
    from joinedup.core.audit import current_request

    request = current_request.get(None)
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "role", ""):
        return None
    return user


def scope_form_choices() -> None:
    """Every model choice in a form (drop-down lists, check boxes, and the check of what was posted) offers
    only the signed-in person's force's records and shared ones, during a staff request. Installed once by
    the core app: forms are built in many apps without the user, and a choice list is a way to learn of
    another force's records (docs/adr/0028)."""
    from django.forms.models import ModelChoiceField

    plain: Any = ModelChoiceField.__dict__["queryset"]
    if getattr(plain.fget, "_force_scoped", False):
        return

    def get(field: Any) -> Any:
        queryset = plain.fget(field)
        user = _requesting_user() if queryset is not None else None
        return in_force(user, queryset) if user is not None else queryset

    get._force_scoped = True  # type: ignore[attr-defined]
    setattr(ModelChoiceField, "queryset", property(get, plain.fset))  # noqa: B010  (mypy sees a field)
