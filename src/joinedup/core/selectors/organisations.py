"""Reading the organisation directory."""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

from django.db.models import Count, Q, QuerySet

from joinedup.core.models import Area, Organisation

SORTS = {
    "name": "name",
    "-name": "-name",
    "sector": "sector",
    "-sector": "-sector",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


class OrganisationFilters(TypedDict, total=False):
    """The directory's filters, each optional (`filter_organisations` says what each matches)."""

    q: str | None
    sector: str | None
    sector_group: list[str] | None
    responsible_authority: str | None
    area_code: str | None
    compact_signatory: bool | None


def list_organisations(
    *, user: Any, sort: str | None = None, **filters: Unpack[OrganisationFilters]
) -> QuerySet[Organisation]:
    organisations = filter_organisations(Organisation.objects.restrict(user, "organisations.view"), **filters)
    organisations = organisations.annotate(staff_count=Count("staff", distinct=True))
    return organisations.order_by(SORTS.get(sort or "name", "name"), "pk").prefetch_related("areas")


def filter_organisations(
    organisations: QuerySet[Organisation],
    *,
    q: str | None = None,
    sector: str | None = None,
    sector_group: list[str] | None = None,
    responsible_authority: str | None = None,
    area_code: str | None = None,
    compact_signatory: bool | None = None,
) -> QuerySet[Organisation]:
    """The organisations among `organisations` that match every filter given (the list page's filters)."""
    if q:
        organisations = organisations.filter(
            Q(name__icontains=q)
            | Q(charity_number=q)
            | Q(company_number__iexact=q)
            | Q(description__icontains=q)
        )
    if sector:
        organisations = organisations.filter(sector=sector)
    if sector_group:
        organisations = organisations.filter(sector__in=sector_group)
    if responsible_authority == "any":
        organisations = organisations.exclude(responsible_authority="")
    elif responsible_authority:
        organisations = organisations.filter(responsible_authority=responsible_authority)
    if area_code:
        # An organisation serving a force area also serves every CSP, district and LSOA inside it.
        area = Area.objects.filter(code=area_code.upper()).first()
        if area is None:
            return organisations.none()
        ancestors = [pk for pk in (area.pk, area.lad_id, area.csp_id, area.pfa_id, area.parent_id) if pk]
        organisations = organisations.filter(areas__in=ancestors).distinct()
    if compact_signatory is not None:
        organisations = organisations.filter(compact_signatory=compact_signatory)
    return organisations


def get_organisation(*, user: Any, pk: int, action: str = "organisations.view") -> Organisation:
    return Organisation.objects.restrict(user, action).prefetch_related("areas").get(pk=pk)
