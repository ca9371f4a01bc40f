"""The partnerships app's lists declared once (core/lists, ADR 0024): the partnership register, Police and
Crime Plans, every partnership's actions and the public register."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from joinedup.core.form_fields import PlaceField
from joinedup.core.lists import (
    CheckboxFilter,
    Column,
    ListDeclaration,
    area_codes_column,
    area_columns,
    register,
)
from joinedup.core.models import CLOSED_ACTION_STATUSES, SECTOR_GROUPS, ActionStatus, Rag, sector_group
from joinedup.core.views.base import staff_user

from . import selectors
from .models import (
    LegalBasis,
    Level,
    Partnership,
    PartnershipAction,
    Plan,
    PlanPriority,
    Status,
)

# --- the partnership register -----------------------------------------------------------------------


class PlaceFilter(django_filters.Filter):
    field_class = PlaceField


class PartnershipFilter(django_filters.FilterSet):
    """The register's filters, each applied by the selector's own `filter_partnerships`."""

    q = django_filters.CharFilter(method="by", label="Name or purpose")
    status = django_filters.ChoiceFilter(choices=Status.choices, method="by", empty_label="Any status")
    legal_basis = django_filters.ChoiceFilter(
        choices=LegalBasis.choices, method="by", label="Legal basis", empty_label="Any"
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, method="by", empty_label="Any level")
    sector_group = django_filters.ChoiceFilter(
        choices=[(g, g) for g in SECTOR_GROUPS], method="by", label="Partner sector", empty_label="Any sector"
    )
    area = PlaceFilter(
        method="by",
        label="Area",
        levels=("pfa", "csp", "lad"),
        help_text="Its name or ONS code, for example Northumbria",
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=PlanPriority.objects.select_related("plan"),
        method="by",
        label="Police and Crime Plan priority",
        empty_label="Any priority",
    )
    overdue_review = CheckboxFilter(method="by", label="Review overdue")
    no_exit_strategy = CheckboxFilter(method="by", label="No exit strategy")

    class Meta:
        model = Partnership
        fields = [
            "q",
            "status",
            "legal_basis",
            "level",
            "sector_group",
            "area",
            "priority",
            "overdue_review",
            "no_exit_strategy",
        ]

    def by(self, queryset: Any, name: str, value: Any) -> Any:
        if name == "area":
            return selectors.filter_partnerships(queryset, area_code=value)
        if name == "priority":
            return selectors.filter_partnerships(queryset, priority=value.pk)
        return selectors.filter_partnerships(queryset, **{name: value})


class RegisterList(ListDeclaration):
    """The register's count is in bold, as it always was; a screen reader hears where they are."""

    def count_text(self, count: int) -> str:
        noun = self.noun[0] if count == 1 else self.noun[1]
        return format_html(
            '<strong>{}</strong> {}<span class="govuk-visually-hidden"> in the register</span>',
            f"{count:,}",
            noun,
        )


def _name_html(p: Partnership) -> SafeString:
    tags = format_html(
        "{}{}",
        format_html(' <strong class="govuk-tag govuk-tag--grey">{}</strong>', "Illustrative")
        if p.illustrative
        else "",
        format_html(' <strong class="govuk-tag govuk-tag--yellow">{}</strong>', "No exit strategy")
        if not p.has_exit_strategy
        else "",
    )
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>{}', reverse("partnerships:detail", args=[p.pk]), p.name, tags
    )


def _review_html(p: Partnership) -> SafeString:
    if p.next_review_date is None:
        return format_html("{}", "Not set")
    overdue = format_html(' <strong class="govuk-tag govuk-tag--red">{}</strong>', "Overdue")
    return format_html(
        "{}{}", dateformat.format(p.next_review_date, "j M Y"), overdue if p.is_review_overdue else ""
    )


REGISTER = register(
    RegisterList(
        name="partnerships-register",
        title="Partnership register",
        rows=lambda request: selectors.list_partnerships(user=staff_user(request)),
        permission="partnerships.view",
        export_permission="partnerships.export",
        object_type="partnerships.partnership",
        noun=("partnership", "partnerships"),
        filterset=PartnershipFilter,
        default_sort="name",
        export_name="partnerships",
        template="partnerships/list.html",
        caption="Partnerships",
        empty="No partnerships recorded.",
        may={"can_propose": "partnerships.propose", "can_import": "partnerships.import"},
        columns=(
            Column("name", "Name", "name", sort="name", html=_name_html),
            Column("status", "Status", "get_status_display", sort="status"),
            Column("level", "Level", "get_level_display", sort="level"),
            Column("legal_basis", "Legal basis", "get_legal_basis_display"),
            Column("lead", "Lead organisation", "lead_organisation.name", empty="Not recorded"),
            Column(
                "review",
                "Next review",
                "next_review_date",
                sort="next_review_date",
                kind="date",
                html=_review_html,
            ),
            Column("purpose", "Purpose", "purpose", table=False),
            area_codes_column(),
            Column("exit_strategy", "Exit strategy", "has_exit_strategy", table=False),
            Column("overdue", "Review overdue", "is_review_overdue", table=False),
            Column("illustrative", "Illustrative", "illustrative", table=False),
            Column("updated", "Last updated", "updated_at", sort="updated_at", kind="date", table=False),
        ),
    )
)


def _members_text(p: Partnership) -> str:
    return "; ".join(
        f"{m.organisation.name} ({m.get_role_display()}"
        + (f", {m.cost_share_percent.normalize():f}%" if m.cost_share_percent is not None else "")
        + ")"
        for m in p.memberships.all()
    )


def _money_per_year(p: Partnership) -> str:
    members = list(p.memberships.all())
    money = sum((m.money_per_year or Decimal("0") for m in members), Decimal("0"))
    return f"{money:.2f}" if members else ""


# A partnership's own fields as the register's downloads (staff and public) have always named them.
_DOWNLOAD_FIELDS = {
    column.key: column
    for column in (
        Column("id", "id", "pk", kind="number"),
        Column("name", "name", "name"),
        Column("status", "status", "get_status_display"),
        Column("purpose", "purpose", "purpose"),
        Column("scope_in", "in scope", "scope_in"),
        Column("scope_out", "out of scope", "scope_out"),
        Column("legal_basis", "legal basis", "get_legal_basis_display"),
        Column("level", "level", "get_level_display"),
        area_codes_column("areas", "areas"),
        Column("lead", "lead organisation", "lead_organisation.name"),
        Column("governance_body", "governance body", "governance_body"),
        Column("chair", "chair", "governance_chair"),
        Column("meeting_frequency", "meeting frequency", "meeting_frequency"),
        Column("accountable_to", "accountable to", "accountable_to"),
        Column("illustrative", "illustrative", "illustrative"),
    )
}


def _download_fields(*keys: str) -> tuple[Column, ...]:
    return tuple(_DOWNLOAD_FIELDS[key] for key in keys)


_GOVERNANCE_FIELDS = ("governance_body", "chair", "meeting_frequency", "accountable_to")

# The columns the register's `export.csv` always had: every field, the members and their shares.
REGISTER_CSV_COLUMNS = (
    *_download_fields(
        "id", "name", "status", "purpose", "scope_in", "scope_out", "legal_basis", "level", "areas", "lead"
    ),
    Column("members", "members", _members_text),
    Column("money", "money per year (£)", _money_per_year),
    *_download_fields(*_GOVERNANCE_FIELDS),
    Column("exit_strategy", "exit strategy", "has_exit_strategy"),
    Column("exit_cost", "cost of exit (£)", "exit_cost", kind="money"),
    Column("review_months", "review every (months)", "review_cadence_months", kind="number"),
    Column("next_review", "next review due", "next_review_date", kind="date"),
    Column("visibility", "visibility", lambda p: p.get_visibility_display().split(":")[0]),
    *_download_fields("illustrative"),
    Column("source", "source", "source"),
)


# --- Police and Crime Plans -------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Plan title")
    pcc_name = django_filters.CharFilter(lookup_expr="icontains", label="Police and Crime Commissioner")

    class Meta:
        model = Plan
        fields = ["title", "pcc_name"]


def _period(plan: Plan) -> str:
    return f"{dateformat.format(plan.period_start, 'j M Y')} to {dateformat.format(plan.period_end, 'j M Y')}"


PLANS = register(
    ListDeclaration(
        name="partnerships-plans",
        title="Police and Crime Plans",
        rows=lambda request: selectors.list_plans(user=staff_user(request)),
        permission="partnerships.view",
        object_type="partnerships.plan",
        noun=("plan", "plans"),
        filterset=PlanFilter,
        export_name="police-and-crime-plans",
        template="partnerships/plan_list.html",
        caption="Police and Crime Plans, newest first",
        empty="No Police and Crime Plans recorded.",
        may={"can_create": "partnerships.change"},
        columns=(
            Column(
                "title",
                "Plan",
                "title",
                sort="title",
                link=lambda p: reverse("partnerships:plan-detail", args=[p.pk]),
            ),
            Column("pcc", "Police and Crime Commissioner", "pcc_name", sort="pcc_name"),
            *area_columns("force_area", "Force area"),
            Column("period", "Period", _period, sort="period_start", export=False),
            Column("starts", "Starts", "period_start", kind="date", table=False),
            Column("ends", "Ends", "period_end", kind="date", table=False),
            Column("priorities", "Priorities", "priority_count", sort="priority_count", kind="number"),
        ),
    )
)


# --- every partnership's actions -----------------------------------------------------------------------


class ActionFilter(django_filters.FilterSet):
    """The partnerships' action plans at once: what is late, what is rated red, what an organisation owes."""

    q = django_filters.CharFilter(field_name="description", lookup_expr="icontains", label="Action")
    partnership = django_filters.CharFilter(
        field_name="partnership__name", lookup_expr="icontains", label="Partnership"
    )
    owner = django_filters.CharFilter(field_name="owner__name", lookup_expr="icontains", label="Owner")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any status")
    rag = django_filters.ChoiceFilter(choices=Rag.choices, label="Rating", empty_label="Any rating")
    overdue = CheckboxFilter(method="only_overdue", label="Overdue")

    class Meta:
        model = PartnershipAction
        fields = ["q", "partnership", "owner", "status", "rag", "overdue"]

    def only_overdue(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(due_date__lt=timezone.localdate()).exclude(status__in=CLOSED_ACTION_STATUSES)


def _action_due_html(action: PartnershipAction) -> SafeString:
    late = format_html(' <strong class="govuk-tag govuk-tag--red">{}</strong>', "Overdue")
    return format_html("{}{}", dateformat.format(action.due_date, "j M Y"), late if action.is_overdue else "")


ACTIONS = register(
    ListDeclaration(
        name="partnerships-actions",
        title="Partnerships' actions",
        rows=lambda request: selectors.list_partnership_actions(user=staff_user(request)),
        permission="partnerships.view",
        object_type="partnerships.partnershipaction",
        noun=("action", "actions"),
        filterset=ActionFilter,
        default_sort="due",
        export_name="partnership-actions",
        template="partnerships/action_list.html",
        caption="Actions of every partnership you can see, soonest due first",
        empty="No actions match.",
        columns=(
            Column(
                "action",
                "Action",
                "description",
                sort="description",
                link=lambda a: f"{reverse('partnerships:detail', args=[a.partnership_id])}#actions",
            ),
            Column("partnership", "Partnership", "partnership.name", sort="partnership__name"),
            Column("owner", "Owner", "owner.name", sort="owner__name"),
            Column("lead_officer", "Lead officer", "lead_officer", empty="Not named"),
            Column("due", "Due", "due_date", sort="due_date", kind="date", html=_action_due_html),
            Column("status", "Status", "get_status_display", sort="status"),
            Column("rag", "Rating", "get_rag_display", sort="rag", empty="Not rated"),
            Column("overdue", "Overdue", "is_overdue", table=False),
            Column("updated", "Last updated", "updated_at", sort="updated_at", kind="date", table=False),
        ),
    )
)


# --- the public register -----------------------------------------------------------------------------


class PublicPartnershipFilter(django_filters.FilterSet):
    """The public register's filters (its GET parameters as before: q, level, area), applied by the
    selector's own `filter_partnerships`."""

    q = django_filters.CharFilter(method="by", label=gettext_lazy("Name or purpose"))
    level = django_filters.ChoiceFilter(
        choices=Level.choices, method="by", label=gettext_lazy("Level"), empty_label=gettext_lazy("Any level")
    )
    area = PlaceFilter(
        method="by",
        label=gettext_lazy("Area"),
        levels=("pfa", "csp", "lad"),
        help_text=gettext_lazy("Its name or ONS code, for example Northumbria"),
    )

    class Meta:
        model = Partnership
        fields = ["q", "level", "area"]

    by = PartnershipFilter.by


def _public_name_html(p: Partnership) -> SafeString:
    tag = format_html(' <strong class="govuk-tag govuk-tag--grey">{}</strong>', _("Illustrative"))
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>{}',
        reverse("public-partnerships:detail", args=[p.pk]),
        p.name,
        tag if p.illustrative else "",
    )


# Public (no sign-in): only the partnerships the public selector gives, approved and published.
PUBLIC_REGISTER = register(
    ListDeclaration(
        name="public-partnerships",
        title=gettext_lazy("Partnership register"),
        rows=lambda request: selectors.list_public_partnerships(),
        permission=None,
        layout="layouts/public.html",
        object_type="partnerships.partnership",
        noun=("partnership", gettext_lazy("partnerships")),
        counted=lambda n: ngettext("partnership", "partnerships", n),
        filterset=PublicPartnershipFilter,
        default_sort="name",
        export_name="partnership-register",
        template="partnerships/public_list.html",
        caption=gettext_lazy("Partnerships on the public register"),
        count_in_bold=True,
        empty=gettext_lazy("No partnerships match."),
        columns=(
            Column("name", gettext_lazy("Name"), "name", sort="name", html=_public_name_html),
            Column("status", gettext_lazy("Status"), "get_status_display", sort="status"),
            Column("level", gettext_lazy("Level"), "get_level_display", sort="level"),
            Column("legal_basis", gettext_lazy("Legal basis"), "get_legal_basis_display", table=False),
            Column(
                "lead",
                gettext_lazy("Lead organisation"),
                "lead_organisation.name",
                empty=gettext_lazy("Not recorded"),
            ),
            Column("members", gettext_lazy("Members"), lambda p: len(p.memberships.all()), kind="number"),
            Column("purpose", gettext_lazy("Purpose"), "purpose", table=False),
            area_codes_column(label=gettext_lazy("Area codes")),
            Column("governance_body", gettext_lazy("Governance body"), "governance_body", table=False),
            Column("accountable_to", gettext_lazy("Accountable to"), "accountable_to", table=False),
            Column("illustrative", gettext_lazy("Illustrative"), "illustrative", table=False),
        ),
    )
)


def _areas(p: Partnership) -> list[dict[str, str]]:
    return [{"code": a.code, "name": a.name} for a in p.areas.all()]


def _members(p: Partnership) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "sector": sector_group(m.organisation.sector),
            "role": m.get_role_display(),
            "money_per_year": None if m.money_per_year is None else f"{m.money_per_year:.2f}",
            "cost_share_percent": None if m.cost_share_percent is None else f"{m.cost_share_percent:.2f}",
            "responsibilities": m.responsibilities,
        }
        for m in p.memberships.all()
    ]


def _governance(p: Partnership) -> dict[str, str]:
    return {
        "body": p.governance_body,
        "chair": p.governance_chair,
        "meeting_frequency": p.meeting_frequency,
        "decision_rights": p.decision_rights,
        "accountable_to": p.accountable_to,
    }


def _declarations(p: Partnership) -> list[dict[str, Any]]:
    return [
        {
            "kind": d.get_kind_display(),
            "organisation": d.organisation.name,
            "person": d.person,
            "description": d.description,
            "amount": None if d.amount is None else f"{d.amount:.2f}",
            "declared_on": d.declared_on.isoformat(),
        }
        for d in p.declarations.all()
    ]


# The fields the public `register.json` always had for each partnership: its members, governance and
# declarations as structured values.
PUBLIC_JSON_COLUMNS = (
    *_download_fields("id", "name", "status", "purpose", "scope_in", "scope_out", "legal_basis", "level"),
    Column("areas", "areas", _areas, kind="data"),
    Column("lead_organisation", "lead organisation", "lead_organisation.name"),
    Column("members", "members", _members, kind="data"),
    Column("governance", "governance", _governance, kind="data"),
    Column("declarations", "declarations", _declarations, kind="data"),
    Column("illustrative", "illustrative", "illustrative", kind="data"),
)

# The columns the public `register.csv` always had.
PUBLIC_CSV_COLUMNS = (
    *_download_fields("id", "name", "status", "purpose", "legal_basis", "level", "areas", "lead"),
    Column(
        "members",
        "members",
        lambda p: "; ".join(f"{m.organisation.name} ({m.get_role_display()})" for m in p.memberships.all()),
    ),
    *_download_fields(*_GOVERNANCE_FIELDS),
    Column(
        "declarations",
        "declarations",
        lambda p: "; ".join(
            f"{d.get_kind_display()}: {d.organisation.name}: {d.description}" for d in p.declarations.all()
        ),
    ),
    *_download_fields("illustrative"),
)
