"""Reading staff accounts, already restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.models import User

SORTS = {
    "name": ("full_name", "email"),
    "-name": ("-full_name", "-email"),
    "email": ("email",),
    "-email": ("-email",),
    "organisation": ("organisation__name", "full_name"),
    "-organisation": ("-organisation__name", "full_name"),
    "role": ("role", "full_name"),
    "-role": ("-role", "full_name"),
    "last-sign-in": ("last_login", "full_name"),
    "-last-sign-in": ("-last_login", "full_name"),
}


def list_people(
    *,
    user: Any,
    q: str | None = None,
    role: str | None = None,
    organisation: int | None = None,
    active: bool | None = None,
    sort: str | None = None,
) -> QuerySet[User]:
    people = filter_people(
        User.objects.restrict(user, "people.view"), q=q, role=role, organisation=organisation, active=active
    )
    people = people.annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    return (
        people.select_related("organisation")
        .prefetch_related("areas")
        .order_by(*SORTS.get(sort or "name", SORTS["name"]), "pk")
    )


def filter_people(
    people: QuerySet[User],
    *,
    q: str | None = None,
    role: str | None = None,
    organisation: int | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """The accounts among `people` that match every filter given (the list page's filters)."""
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        people = people.filter(role=role)
    if organisation:
        people = people.filter(organisation_id=organisation)
    if active is not None:
        people = people.filter(is_active=active)
    return people


def get_person(*, user: Any, pk: int, action: str = "people.view") -> User:
    return (
        User.objects.restrict(user, action)
        .select_related("organisation")
        .prefetch_related("areas")
        .get(pk=pk)
    )
