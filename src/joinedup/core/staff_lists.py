"""Core's staff lists, each declared once (core/lists, ADR 0024): the organisation directory, the people
(staff accounts), the reference areas, the record of reference data imports and the audit log. Each page keeps its
filter form and its GET parameters; the filtering is the selector's own (`filter_*`), applied to the rows
of the restricted selector. Registered when the app is ready (core's `lists` package is the layer
itself)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from joinedup.core.forms import OrganisationFilterForm
from joinedup.core.forms_people import AuditFilterForm, PersonFilterForm
from joinedup.core.lists import Column, ListDeclaration, area_codes_column, register
from joinedup.core.models import (
    Area,
    AreaLevel,
    AuditEvent,
    Organisation,
    ReferenceImport,
    User,
    sector_group,
)
from joinedup.core.roles import Role
from joinedup.core.selectors.areas import filter_areas, list_areas
from joinedup.core.selectors.audit import filter_events, search_events
from joinedup.core.selectors.organisations import filter_organisations, list_organisations
from joinedup.core.selectors.people import filter_people, list_people


class FormFilterSet(django_filters.FilterSet):
    """A page's own filter form (its fields, labels and GET parameters), applied by the selector's filter
    function to the rows: `apply(rows, **form.filters())`. A form that does not validate filters nothing
    (its errors are shown above the filters), as on the hand-written pages."""

    form_class: ClassVar[type[forms.Form]]
    apply: ClassVar[Callable[..., QuerySet[Any]]]

    def get_form_class(self) -> type[forms.Form]:
        return self.form_class

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        form: Any = self.form
        return type(self).apply(queryset, **form.filters())


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# --- organisations -------------------------------------------------------------------------------------


class OrganisationFilter(FormFilterSet):
    form_class = OrganisationFilterForm
    apply = staticmethod(filter_organisations)


def _organisation_name(organisation: Organisation) -> SafeString:
    link = format_html(
        '<a class="govuk-link" href="{}">{}</a>',
        reverse("staff:organisation-detail", args=[organisation.pk]),
        organisation.name,
    )
    if organisation.illustrative:
        return format_html('{} <strong class="govuk-tag govuk-tag--grey">Illustrative</strong>', link)
    return link


ORGANISATIONS = register(
    ListDeclaration(
        name="core-organisations",
        title="Organisations",
        rows=lambda request: list_organisations(user=request.user),
        permission="organisations.view",
        export_permission="organisations.export",
        object_type="core.organisation",
        noun=("organisation", "organisations"),
        filterset=OrganisationFilter,
        default_sort="name",
        export_name="organisations",
        template="core/organisations/list.html",
        count_in_bold=True,
        may={"can_create": "organisations.create"},
        columns=(
            Column("name", "Name", "name", sort="name", html=_organisation_name),
            Column("sector", "Sector", "get_sector_display", sort="sector"),
            Column("sector_group", "Sector group", lambda o: sector_group(o.sector), table=False),
            Column(
                "responsible_authority",
                "CSP responsible authority",
                "get_responsible_authority_display",
                empty="No",
            ),
            Column(
                "areas",
                "Areas served",
                lambda o: ", ".join(a.name for a in o.areas.all()),
                empty="Not recorded",
            ),
            area_codes_column("area_codes", "Area codes"),
            Column("charity_number", "Charity number", "charity_number", kind="code", table=False),
            Column("company_number", "Company number", "company_number", kind="code", table=False),
            Column("website", "Website", "website", table=False),
            Column("compact", "Compact signatory", lambda o: _yes_no(o.compact_signatory), table=False),
            Column("illustrative", "Illustrative", lambda o: _yes_no(o.illustrative), table=False),
            Column("source", "Source", "source", table=False),
            Column(
                "updated",
                "Last updated",
                "updated_at",
                sort="updated_at",
                kind="date",
                date_format="j M Y",
            ),
        ),
    )
)


# The columns `organisations/export.csv` always had (the list's own downloads are `?format=`).
ORGANISATION_CSV_COLUMNS = (
    Column("id", "id", "pk", kind="number"),
    Column("name", "name", "name"),
    Column("sector", "sector", "get_sector_display"),
    Column("sector_group", "sector group", lambda o: sector_group(o.sector)),
    Column("responsible_authority", "CSP responsible authority", "get_responsible_authority_display"),
    area_codes_column("areas", "areas served"),
    Column("charity_number", "charity number", "charity_number", kind="code"),
    Column("company_number", "company number", "company_number", kind="code"),
    Column("website", "website", "website"),
    Column("compact", "Compact signatory", "compact_signatory"),
    Column("illustrative", "illustrative", "illustrative"),
    Column("source", "source", "source"),
    Column("updated", "last updated", "updated_at", kind="date"),
)


# --- people (staff accounts) -----------------------------------------------------------------------------


class PersonFilter(FormFilterSet):
    form_class = PersonFilterForm
    apply = staticmethod(filter_people)


def _account_html(person: User) -> SafeString:
    if person.is_active:
        return format_html('<strong class="govuk-tag govuk-tag--green">{}</strong>', "Active")
    return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "Inactive")


# The page shows a person's name, email address, organisation, role, whether the account is active and
# when they last signed in; the downloads carry those and nothing more about them.
PEOPLE = register(
    ListDeclaration(
        name="core-people",
        title="People",
        caption="Staff accounts",
        rows=lambda request: list_people(user=request.user),
        permission="people.view",
        object_type="core.user",
        noun=("person", "people"),
        filterset=PersonFilter,
        default_sort="name",
        export_name="people",
        template="core/people/list.html",
        count_in_bold=True,
        empty="No one has an account yet.",
        may={"can_manage": "people.manage"},
        columns=(
            Column(
                "name",
                "Name",
                lambda p: p.full_name or p.email,
                sort=("full_name", "email"),
                link=lambda p: reverse("staff:person-detail", args=[p.pk]),
            ),
            Column("email", "Email address", "email", sort="email"),
            Column(
                "organisation",
                "Organisation",
                lambda p: str(p.organisation or ""),
                sort=("organisation__name", "full_name"),
            ),
            Column("role", "Role", "role_label", sort=("role", "full_name")),
            Column(
                "account",
                "Account",
                lambda p: "Active" if p.is_active else "Inactive",
                html=_account_html,
            ),
            Column(
                "last-sign-in",
                "Last signed in",
                "last_login",
                sort=("last_login", "full_name"),
                kind="date",
                date_format="j M Y H:i",
                empty="Never",
            ),
        ),
    )
)


# The columns `people/export.csv` always had.
PERSON_CSV_COLUMNS = (
    Column("id", "id", "pk", kind="number"),
    Column("name", "name", "full_name"),
    Column("email", "email", "email"),
    Column("job_title", "job title", "job_title"),
    Column("organisation", "organisation", lambda p: str(p.organisation or "")),
    Column("role", "role", "role_label"),
    area_codes_column("areas", "areas"),
    Column("active", "active", "is_active"),
    Column("two_factor", "two-factor", "has_two_factor"),
    Column("joined", "joined", "date_joined", kind="date"),
    Column("last_login", "last signed in", "last_login", kind="date"),
)


# --- areas -------------------------------------------------------------------------------------------


class AreaFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name or code", max_length=200)
    level = forms.ChoiceField(required=False, choices=[("", "Any level"), *AreaLevel.choices])
    parent = forms.CharField(
        required=False, label="Parent area code", max_length=9, help_text="ONS code, for example E23000007"
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "level": data.get("level") or None,
            "parent_code": (data.get("parent") or "").strip().upper() or None,
        }


class AreaFilter(FormFilterSet):
    form_class = AreaFilterForm
    apply = staticmethod(filter_areas)


def _area_link(area: Area) -> SafeString:
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>', reverse("staff:area-detail", args=[area.code]), area.name
    )


def _area_name(area: Area) -> SafeString:
    if area.is_split:
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--yellow">Split between CSPs</strong>', _area_link(area)
        )
    return _area_link(area)


def _area_parent(area: Area) -> SafeString:
    if area.parent is not None:
        return _area_link(area.parent)
    return format_html("{}", "Several CSPs" if area.is_split else "None")


def _population(area: Area) -> SafeString:
    if area.population is None:
        return format_html("{}", "Not known")
    if area.population_partial:
        return format_html('{} <span class="govuk-body-s">(partial)</span>', f"{area.population:,}")
    return format_html("{}", f"{area.population:,}")


def _code(path: str) -> Callable[[Area], str]:
    def value(area: Area) -> str:
        related = getattr(area, path)
        return related.code if related is not None else ""

    return value


AREAS = register(
    ListDeclaration(
        name="core-areas",
        title="Areas",
        rows=lambda request: list_areas(user=request.user).select_related("parent", "lad", "csp", "pfa"),
        permission="areas.view",
        object_type="core.area",
        noun=("area", "areas"),
        filterset=AreaFilter,
        default_sort="name",
        export_name="areas",
        template="core/areas/list.html",
        count_in_bold=True,
        may={"can_see_imports": "imports.view"},
        columns=(
            Column("name", "Name", "name", sort=("name", "code"), html=_area_name),
            Column("code", "Code", "code", sort="code", kind="code"),
            Column("name_welsh", "Welsh name", "name_welsh", table=False),
            Column("level", "Level", "get_level_display"),
            Column("parent", "Part of", "parent.name", html=_area_parent, export=False),
            Column("parent_code", "Parent code", _code("parent"), kind="code", table=False),
            Column("district_code", "District code", _code("lad"), kind="code", table=False),
            Column("csp_code", "CSP code", _code("csp"), kind="code", table=False),
            Column("pfa_code", "Police force area code", _code("pfa"), kind="code", table=False),
            Column(
                "population",
                "Population",
                "population",
                sort=("population", "code"),
                kind="number",
                html=_population,
            ),
            Column("population_year", "Population year", "population_year", table=False),
            Column(
                "population_partial",
                "Population partial",
                lambda a: _yes_no(a.population_partial),
                table=False,
            ),
            Column("split", "Split district", lambda a: _yes_no(a.is_split), table=False),
            Column("lsoa21_code", "2021 LSOA code", "lsoa21_code", kind="code", table=False),
        ),
    )
)


# The columns `areas/export.csv` always had.
AREA_CSV_COLUMNS = (
    Column("code", "code", "code", kind="code"),
    Column("name", "name", "name"),
    Column("name_welsh", "Welsh name", "name_welsh"),
    Column("level", "level", "level", kind="code"),
    Column("parent_code", "parent code", _code("parent"), kind="code"),
    Column("district_code", "district code", _code("lad"), kind="code"),
    Column("csp_code", "CSP code", _code("csp"), kind="code"),
    Column("pfa_code", "police force area code", _code("pfa"), kind="code"),
    Column("population", "population", "population", kind="number"),
    Column("population_year", "population year", "population_year", kind="number"),
    Column("population_partial", "population partial", "population_partial"),
    Column("split", "split district", "is_split"),
    Column("lsoa21_code", "2021 LSOA code", "lsoa21_code", kind="code"),
)


# --- reference data imports -------------------------------------------------------------------------------

COUNT_LABELS = {
    AreaLevel.PFA: "Police force areas",
    AreaLevel.CSP: "Community safety partnerships",
    AreaLevel.LAD: "Local authority districts",
    AreaLevel.WARD: "Electoral wards",
    AreaLevel.LSOA: "LSOAs",
    "population": "Total population",
    "population_year": "Population estimate year",
    "split_lads": "Districts split between CSPs",
    "lsoa21_codes": "LSOAs with a 2021 code",
}


def count_rows(counts: dict[str, Any]) -> list[tuple[str, str]]:
    """An import's counts as (label, text) pairs for people: numbers with separators, lists joined."""
    rows = []
    for key, value in counts.items():
        if isinstance(value, list):
            text = ", ".join(str(item) for item in value) or "None"
        elif isinstance(value, int) and key != "population_year":
            text = f"{value:,}"
        else:
            text = str(value)
        rows.append((COUNT_LABELS.get(key, key.replace("_", " ").capitalize()), text))
    return rows


def _counts_html(record: ReferenceImport) -> SafeString:
    items = count_rows(record.counts) or [("None", "")]
    return format_html(
        '<ul class="govuk-list">{}</ul>',
        format_html_join(
            "", "<li>{}</li>", ((f"{label}: {text}" if text else label,) for label, text in items)
        ),
    )


def _files_text(record: ReferenceImport) -> str:
    return "; ".join(
        f"{f.get('name', '')} ({f.get('rows', 0)} rows, SHA-256 {f.get('sha256', '')})" for f in record.files
    )


def _files_html(record: ReferenceImport) -> SafeString:
    return format_html(
        '<ul class="govuk-list">{}</ul>',
        format_html_join(
            "",
            '<li>{} ({} rows)<br><code class="ju-checksum">{}</code></li>',
            ((f.get("name", ""), f"{f.get('rows', 0):,}", f.get("sha256", "")) for f in record.files),
        ),
    )


class ReferenceImportFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(lookup_expr="iexact", label="Kind of import")

    class Meta:
        model = ReferenceImport
        fields = ["kind"]


# Each time the reference geography is loaded: the files read, with their SHA-256 checksums, and what the
# import produced. Not force-specific: every area is reference data.
REFERENCE_IMPORTS = register(
    ListDeclaration(
        name="core-reference-imports",
        title="Reference data imports",
        rows=lambda request: ReferenceImport.objects.order_by("-started_at", "-pk"),
        permission="imports.view",
        object_type="core.referenceimport",
        noun=("import", "imports"),
        filterset=ReferenceImportFilter,
        export_name="reference-data-imports",
        template="core/areas/imports.html",
        page_size=20,
        count_in_bold=True,
        empty="The reference data has not been imported yet.",
        columns=(
            Column(
                "started",
                "Started",
                "started_at",
                sort="started_at",
                kind="date",
                date_format="j F Y, H:i",
            ),
            Column("kind", "Import", lambda r: r.kind.capitalize(), sort="kind"),
            Column("imported_by", "Imported by", "imported_by", empty="Not recorded"),
            Column("source", "Source folder", "source", empty="Not recorded"),
            Column(
                "finished",
                "Finished",
                "finished_at",
                kind="date",
                date_format="j F Y, H:i:s",
                empty="Not finished",
            ),
            Column(
                "counts",
                "Counts",
                lambda r: "; ".join(f"{label}: {text}" for label, text in count_rows(r.counts)),
                html=_counts_html,
            ),
            Column("files", "Files read", _files_text, html=_files_html),
        ),
    )
)


# --- the audit log -------------------------------------------------------------------------------------

ROLE_LABELS = dict(Role.choices)


class AuditEventFilter(FormFilterSet):
    """The log's search form; a search that does not validate (a "to" date before the "from" date) finds
    no events, as it always has."""

    form_class = AuditFilterForm
    apply = staticmethod(filter_events)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


def _record_html(event: AuditEvent) -> SafeString:
    if not event.object_type:
        return format_html("{}", "")
    return format_html(
        '{} <span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{} {}</span>',
        event.object_repr or event.object_id,
        event.object_type,
        event.object_id,
    )


# Every sign-in, refusal, export and account change, newest first (the selector's order). Only those who
# may read the log see it (`audit.view`, and the selector returns nothing to anyone else); downloads need
# `audit.export`, and each is itself an event in the log. The downloads carry what the older CSV
# download (`audit/export.csv`) does.
AUDIT_EVENTS = register(
    ListDeclaration(
        name="core-audit-events",
        title="Audit log",
        rows=lambda request: search_events(user=request.user),
        permission="audit.view",
        export_permission="audit.export",
        object_type="core.auditevent",
        noun=("event", "events"),
        filterset=AuditEventFilter,
        export_name="audit-events",
        template="core/audit/list.html",
        caption="Audit events, newest first",
        count_in_bold=True,
        empty="No events match these filters.",
        columns=(
            Column("id", "Id", "pk", kind="number", table=False),
            Column(
                "when",
                "When",
                "occurred_at",
                sort="occurred_at",
                kind="date",
                date_format="j M Y H:i:s",
            ),
            Column("event", "Event", "get_event_type_display", sort="event_type"),
            Column("event_code", "Event code", "event_type", kind="code", table=False),
            Column("who", "Who", "actor_email", sort="actor_email", empty="Not signed in"),
            Column("account_id", "Account id", "actor_id", kind="number", table=False),
            Column(
                "role",
                "Role",
                lambda e: ROLE_LABELS.get(e.actor_role, e.actor_role),
                html=lambda e: format_html("{}", ROLE_LABELS.get(e.actor_role, "")),
            ),
            Column("record_type", "Record type", "object_type", table=False),
            Column("record_id", "Record id", "object_id", kind="code", table=False),
            Column("record", "Record", "object_repr", html=_record_html),
            Column("address", "Address", "ip_address"),
            Column("request_id", "Request id", "request_id", kind="code", table=False),
            Column("path", "Path", "path", table=False),
            Column(
                "detail",
                "Detail",
                lambda e: json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "",
                table=False,
            ),
        ),
    )
)


# The columns `audit/export.csv` always had.
AUDIT_CSV_COLUMNS = (
    Column("id", "id", "pk", kind="number"),
    Column("when", "when", lambda e: timezone.localtime(e.occurred_at).isoformat(timespec="seconds")),
    Column("event", "event", "get_event_type_display"),
    Column("event_code", "event code", "event_type", kind="code"),
    Column("who", "who", "actor_email"),
    Column("account_id", "account id", "actor_id", kind="number"),
    Column("role", "role", lambda e: ROLE_LABELS.get(e.actor_role, e.actor_role)),
    Column("record_type", "record type", "object_type"),
    Column("record_id", "record id", "object_id", kind="code"),
    Column("record", "record", "object_repr"),
    Column("address", "address", "ip_address"),
    Column("request_id", "request id", "request_id", kind="code"),
    Column("path", "path", "path"),
    Column("detail", "detail", lambda e: e.detail or ""),
)
