"""Reading the partnership register: the filtered list, one partnership with everything on its page, the public view."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from joinedup.core.models import SECTOR_GROUPS, Area, User

from .models import (
    BusinessCaseAssessment,
    ExpectedBenefit,
    LegalBasis,
    Level,
    Membership,
    Partnership,
    PartnershipAction,
    PartnershipObjective,
    Plan,
    PlanPriority,
    Risk,
    Status,
    Visibility,
)

SORTS = {
    "name": "name",
    "-name": "-name",
    "status": "status",
    "-status": "-status",
    "level": "level",
    "-level": "-level",
    "review": "next_review_date",
    "-review": "-next_review_date",
    "updated": "updated_at",
    "-updated": "-updated_at",
}
REVIEWABLE = (Status.ACTIVE, Status.UNDER_REVIEW)


def _area_ancestors(area_code: str) -> list[int] | None:
    area = Area.objects.filter(code=area_code.strip().upper()).first()
    if area is None:
        return None
    return [pk for pk in (area.pk, area.lad_id, area.csp_id, area.pfa_id, area.parent_id) if pk]


def overdue_q() -> Q:
    return Q(status__in=REVIEWABLE, next_review_date__lt=timezone.localdate())


def no_exit_strategy_q() -> Q:
    return Q(exit_triggers="") | Q(exit_steps="")


def filter_partnerships(
    partnerships: QuerySet[Partnership],
    *,
    q: str | None = None,
    status: str | None = None,
    legal_basis: str | None = None,
    level: str | None = None,
    sector_group: str | None = None,
    area_code: str | None = None,
    priority: int | None = None,
    overdue_review: bool = False,
    no_exit_strategy: bool = False,
) -> QuerySet[Partnership]:
    if q:
        partnerships = partnerships.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    if status:
        partnerships = partnerships.filter(status=status)
    if legal_basis:
        partnerships = partnerships.filter(legal_basis=legal_basis)
    if level:
        partnerships = partnerships.filter(level=level)
    if sector_group and sector_group in SECTOR_GROUPS:
        members = Membership.objects.filter(
            partnership=OuterRef("pk"), organisation__sector__in=SECTOR_GROUPS[sector_group]
        )
        partnerships = partnerships.filter(Exists(members))
    if area_code:
        # A partnership covering a force area covers every CSP, district and LSOA inside it.
        ancestors = _area_ancestors(area_code)
        if ancestors is None:
            return partnerships.none()
        partnerships = partnerships.filter(
            Exists(Partnership.areas.through.objects.filter(partnership=OuterRef("pk"), area__in=ancestors))
        )
    if priority:
        objectives = PartnershipObjective.objects.filter(partnership=OuterRef("pk"), priorities=priority)
        partnerships = partnerships.filter(Exists(objectives))
    if overdue_review:
        partnerships = partnerships.filter(overdue_q())
    if no_exit_strategy:
        partnerships = partnerships.filter(no_exit_strategy_q())
    return partnerships


def list_partnerships(*, user: User, sort: str | None = None, **filters: Any) -> QuerySet[Partnership]:
    partnerships = filter_partnerships(Partnership.objects.restrict(user, "partnerships.view"), **filters)
    return (
        partnerships.order_by(SORTS.get(sort or "name", "name"), "pk")
        .select_related("lead_organisation")
        .prefetch_related("areas")
    )


def list_public_partnerships(*, sort: str | None = None, **filters: Any) -> QuerySet[Partnership]:
    """Public partnerships that have been approved; proposals and declined ones stay internal."""
    partnerships: QuerySet[Partnership] = Partnership.objects.filter(
        visibility=Visibility.PUBLIC,
        status__in=(Status.APPROVED, Status.ACTIVE, Status.UNDER_REVIEW, Status.REVISED, Status.TERMINATED),
    )
    partnerships = filter_partnerships(partnerships, **filters)
    return (
        partnerships.order_by(SORTS.get(sort or "name", "name"), "pk")
        .select_related("lead_organisation")
        .prefetch_related(
            "areas",
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation")),
            "declarations__organisation",
        )
    )


def get_partnership_for_page(*, user: User, pk: int) -> Partnership:
    """One partnership with everything its page shows, in a fixed number of queries."""
    return (
        Partnership.objects.restrict(user, "partnerships.view")
        .select_related("lead_organisation")
        .prefetch_related(
            "areas",
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation")),
            Prefetch(
                "objectives", queryset=PartnershipObjective.objects.prefetch_related("priorities__plan")
            ),
            Prefetch("risks", queryset=Risk.objects.all()),
            "declarations__organisation",
            "benefits",
            Prefetch(
                "actions",
                queryset=PartnershipAction.objects.select_related("owner").prefetch_related("updates"),
            ),
        )
        .get(pk=pk)
    )


def get_assessment(partnership: Partnership) -> BusinessCaseAssessment | None:
    return BusinessCaseAssessment.objects.filter(partnership=partnership).prefetch_related("answers").first()


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    risks: list[Risk]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        """Named bands, so the heat-map is readable without colour."""
        if self.score >= 15:
            return "High"
        if self.score >= 8:
            return "Medium"
        return "Low"


def heat_map(risks: list[Risk]) -> list[list[HeatCell]]:
    """Rows from likelihood 5 down to 1, columns impact 1 to 5, each cell listing its risks."""
    return [
        [HeatCell(lk, im, [r for r in risks if r.likelihood == lk and r.impact == im]) for im in range(1, 6)]
        for lk in range(5, 0, -1)
    ]


@dataclass
class RegisterSummary:
    """The figures for the register's overview (and the staff dashboard): one query per figure group."""

    total: int
    by_status: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    overdue_reviews: int
    no_exit_strategy: int
    money_per_year: Decimal
    staff_fte: Decimal
    savings_projected: Decimal
    savings_realised: Decimal


def register_summary(*, user: User) -> RegisterSummary:
    partnerships = Partnership.objects.restrict(user, "partnerships.view")
    status_counts = dict(partnerships.values_list("status").annotate(n=Count("pk")).order_by())
    level_counts = dict(partnerships.values_list("level").annotate(n=Count("pk")).order_by())
    running = Membership.objects.filter(
        partnership__in=partnerships.filter(status__in=(*REVIEWABLE, Status.APPROVED, Status.REVISED))
    ).aggregate(money=Sum("money_per_year"), fte=Sum("staff_fte"))
    savings = ExpectedBenefit.objects.filter(partnership__in=partnerships).aggregate(
        projected=Sum("savings_projected"), realised=Sum("savings_realised")
    )
    open_partnerships = partnerships.exclude(status__in=(Status.DECLINED, Status.TERMINATED))
    return RegisterSummary(
        total=sum(status_counts.values()),
        by_status=[(str(label), status_counts.get(value, 0)) for value, label in Status.choices],
        by_level=[(str(label), level_counts.get(value, 0)) for value, label in Level.choices],
        overdue_reviews=partnerships.filter(overdue_q()).count(),
        no_exit_strategy=open_partnerships.filter(no_exit_strategy_q()).count(),
        money_per_year=running["money"] or Decimal("0"),
        staff_fte=running["fte"] or Decimal("0"),
        savings_projected=savings["projected"] or Decimal("0"),
        savings_realised=savings["realised"] or Decimal("0"),
    )


def list_landscape(
    *, user: User, area_code: str | None = None, level: str | None = None
) -> list[Partnership]:
    """Open partnerships (not declined or terminated) the user may see, with their members, for the
    landscape picture and its table: a fixed number of queries however many there are."""
    partnerships = filter_partnerships(
        Partnership.objects.restrict(user, "partnerships.view").exclude(
            status__in=(Status.DECLINED, Status.TERMINATED)
        ),
        area_code=area_code,
        level=level,
    )
    return list(
        partnerships.order_by("name", "pk").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "organisation__name", "pk"
                ),
            )
        )
    )


def list_plans(*, user: User) -> QuerySet[Plan]:
    """Police and Crime Plans, newest first, with their force area and number of priorities."""
    return (
        Plan.objects.restrict(user, "partnerships.view")
        .select_related("force_area")
        .annotate(priority_count=Count("priorities"))
        .order_by("-period_start", "title", "pk")
    )


def get_plan(*, user: User, pk: int) -> Plan:
    """One plan with its priorities and, for each, how many partnerships the user may see serve it."""
    visible = Partnership.objects.restrict(user, "partnerships.view")
    priorities = PlanPriority.objects.annotate(
        partnership_count=Count(
            "objectives__partnership", filter=Q(objectives__partnership__in=visible), distinct=True
        )
    )
    return (
        Plan.objects.restrict(user, "partnerships.view")
        .select_related("force_area")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
        .get(pk=pk)
    )


def statutory_partnership_for(area: Area) -> Partnership | None:
    """An area's statutory partnership in the register: statutory, covering the area, not declined or ended
    (the CSP app's checks; the register is not personal data, so this read is not restricted)."""
    return (
        Partnership.objects.filter(legal_basis=LegalBasis.STATUTORY, areas=area)
        .exclude(status__in=[Status.DECLINED, Status.TERMINATED])
        .select_related("lead_organisation")
        .order_by("name")
        .first()
    )


def public_police_and_crime_plan(*, force_area_id: int) -> Plan | None:
    """The force area's Police and Crime Plan as the public pages show it (the Commissioner must publish
    it): the one in force today, else the latest to have started, else the next; its priorities in order,
    prefetched. None when the force area has no plan."""
    today = timezone.localdate()
    plans = Plan.objects.filter(force_area=force_area_id).prefetch_related(
        Prefetch("priorities", queryset=PlanPriority.objects.order_by("order", "title"))
    )
    return (
        plans.filter(period_start__lte=today, period_end__gte=today).order_by("-period_start", "-pk").first()
        or plans.filter(period_start__lte=today).order_by("-period_start", "-pk").first()
        or plans.order_by("period_start", "pk").first()
    )


def list_partnership_actions(*, user: User) -> QuerySet[PartnershipAction]:
    """Every action of the partnerships `user` may see (their action plans), soonest due first."""
    visible = Partnership.objects.restrict(user, "partnerships.view")
    return (
        PartnershipAction.objects.filter(partnership__in=visible)
        .select_related("partnership", "owner")
        .order_by("due_date", "pk")
    )
