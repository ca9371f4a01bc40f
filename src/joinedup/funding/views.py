"""Staff pages for funding: funds, allocations, rounds, panels, moderation and decisions. Thin: forms in,
services and selectors do the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from joinedup.core.exports import csv_response
from joinedup.core.forms import form_page as core_form_page
from joinedup.core.forms import run_service, save_form, save_versioned_form, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError
from joinedup.core.views.base import deny, get_allowed_object, staff_user, staff_view

from . import lists, selectors, services
from .forms import (
    ApplicationForm,
    AssignForm,
    AwardDetailsForm,
    ClawbackForm,
    ConflictForm,
    DecisionForm,
    EligibilityForm,
    FundForm,
    PaymentForm,
    RoundForm,
    ScoreForm,
    VariationForm,
)
from .models import (
    Application,
    ApplicationStatus,
    Award,
    Fund,
    GrantRound,
    RoundStatus,
    financial_year_label,
)
from .monitoring import selectors as monitoring_selectors
from .monitoring.forms import ReturnScheduleForm

MODERATION_PAGE_SIZE = 100


def call_service(form: Any, service: Callable[..., Any], **arguments: Any) -> tuple[bool, Any]:
    """Call `service(**arguments)` for a valid `form`: (True, what it returned), or, when the service refuses
    with a ValidationError, (False, None) with every problem put on the form (on its field, else the form),
    so the page shows them all. The pages of every sub-area use it, staff and applicants alike."""
    try:
        return True, service(**arguments)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return False, None


def form_page(request: HttpRequest, *args: Any, title: str, **kwargs: Any) -> HttpResponse:
    """A staff page that is one form, on funding/form.html headed `title`: core.forms.form_page's form, save,
    success and `done`."""
    return core_form_page(request, *args, template="funding/form.html", context={"title": title}, **kwargs)


def record_page(url_name: str) -> Callable[[Any], str]:
    """`done` for a page that creates or changes a record: that record's page."""
    return lambda record: reverse(url_name, args=[record.pk])


def _money(value: Any) -> str:
    return f"{value:.2f}"


# --- funds ------------------------------------------------------------------------------------------


fund_list = list_view(lists.FUNDS)


SAVED = "Your changes have been saved."


def _set_up(record: Any) -> str:
    return f"{record.name} has been set up."


@staff_view("funding.manage")
def fund_create(request: HttpRequest) -> HttpResponse:
    form = FundForm(request.POST or None)
    save = service_save(request, services.create_fund)
    return form_page(
        request, form, save, _set_up, done=record_page("funding:fund-detail"), title="Set up a fund"
    )


@staff_view("funding.manage")
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_allowed_object(request, Fund.objects.all(), "funding.manage", pk=pk)
    form = FundForm(request.POST or None, initial=FundForm.initial_from(fund))
    save = service_save(request, services.update_fund, versioned=True, fund=fund)
    return form_page(
        request,
        form,
        save,
        SAVED,
        done=reverse("funding:fund-detail", args=[fund.pk]),
        title=f"Edit {fund.name}",
    )


@staff_view("funding.view")
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_allowed_object(
        request, Fund.objects.select_related("force_area", "decision_body"), "funding.view", pk=pk
    )
    return render(
        request,
        "funding/fund_detail.html",
        {
            "fund": fund,
            "budgets": fund.budgets.all(),
            "rounds": selectors.list_rounds(user=staff_user(request), fund=fund),
            "totals": selectors.fund_totals(fund),
            "history": field_history(fund),
            "can_manage": has_permission(request.user, "funding.manage"),
        },
    )


@staff_view("funding.view")
def fund_allocation(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    fund = get_allowed_object(request, Fund.objects.select_related("force_area"), "funding.view", pk=pk)
    budget = fund.budgets.filter(year=year).first()
    allocations = list(selectors.list_allocations(user=staff_user(request), fund=fund, year=year))
    return render(
        request,
        "funding/allocation.html",
        {
            "fund": fund,
            "year": year,
            "year_label": financial_year_label(year),
            "budget": budget,
            "allocations": allocations,
            "total": sum(a.amount for a in allocations),
            "population": sum(a.population for a in allocations),
            "can_manage": has_permission(request.user, "funding.manage"),
        },
    )


@staff_view("funding.manage")
@require_POST
def fund_allocate(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    fund = get_allowed_object(request, Fund.objects.all(), "funding.manage", pk=pk)
    run_service(
        request,
        lambda: services.allocate_by_population(actor=staff_user(request), fund=fund, year=year),
        f"The {financial_year_label(year)} budget has been allocated by population.",
    )
    return redirect("funding:fund-allocation", pk=fund.pk, year=year)


@staff_view("funding.view")
def fund_allocation_export(request: HttpRequest, pk: int, year: int) -> StreamingHttpResponse:
    fund = get_allowed_object(request, Fund.objects.all(), "funding.view", pk=pk)
    allocations = selectors.list_allocations(user=staff_user(request), fund=fund, year=year)
    header = [
        "fund",
        "financial year",
        "area code",
        "area",
        "population",
        "share",
        "amount",
        "per head",
        "conditions",
    ]
    rows = (
        [
            fund.name,
            financial_year_label(year),
            a.area.code,
            a.area.name,
            a.population,
            a.share,
            _money(a.amount),
            _money(a.per_head),
            a.conditions,
        ]
        for a in allocations
    )
    return csv_response(
        request,
        name=f"allocation-{fund.pk}-{year}",
        header=header,
        rows=rows,
        object_type="funding.formulaallocation",
        filters={"fund": fund.pk, "year": year},
    )


# --- rounds -----------------------------------------------------------------------------------------


@staff_view("funding.manage")
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_allowed_object(request, Fund.objects.all(), "funding.manage", pk=pk)
    form = RoundForm(request.POST or None, initial={"max_score": "5"})
    save = service_save(request, services.create_round, fund=fund)
    title = f"Set up a grant round for {fund.name}"
    return form_page(request, form, save, _set_up, done=record_page("funding:round-detail"), title=title)


@staff_view("funding.view")
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant_round = get_allowed_object(
        request, GrantRound.objects.select_related("fund"), "funding.view", pk=pk
    )
    transitions = services.ROUND_TRANSITIONS[RoundStatus(grant_round.status)]
    return render(
        request,
        "funding/round_detail.html",
        {
            "round": grant_round,
            "criteria": grant_round.criteria.all(),
            "applications": selectors.list_applications(user=staff_user(request), grant_round=grant_round),
            "committed": services.committed(grant_round),
            "remaining": services.remaining_budget(grant_round),
            "max_award": services.max_award_for(grant_round),
            "transitions": [(s, RoundStatus(s).label) for s in RoundStatus if s in transitions],
            "can_manage": has_permission(request.user, "funding.manage"),
        },
    )


@staff_view("funding.manage")
@require_POST
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    grant_round = get_allowed_object(request, GrantRound.objects.all(), "funding.manage", pk=pk)
    run_service(
        request,
        lambda: services.change_round_status(
            actor=staff_user(request),
            grant_round=grant_round,
            status=request.POST.get("status", ""),
            expected_version=int(request.POST.get("version") or 0),
        ),
        lambda _: f"The round is now {grant_round.get_status_display().lower()}.",
    )
    return redirect("funding:round-detail", pk=grant_round.pk)


@staff_view("funding.view")
def round_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    grant_round = get_allowed_object(
        request, GrantRound.objects.select_related("fund"), "funding.view", pk=pk
    )
    summary = selectors.moderation(grant_round=grant_round)
    # The ranking, running total and summary cover the whole round; the table shows it a page at a time.
    page = Paginator(summary.ranked, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    can_decide = has_permission(request.user, "funding.decide")
    return render(
        request,
        "funding/moderation.html",
        {
            "round": grant_round,
            "moderation": summary,
            "page_obj": page,
            "can_decide": can_decide,
            "rows_html": _ranked_rows_html(list(page.object_list), can_decide=can_decide),
        },
    )


def _ranked_rows_html(rows: list[Any], *, can_decide: bool) -> SafeString:
    """The moderation table's rows, written in Python: the template language costs about 0.2 ms a row,
    which on a shared 2-core machine was a third of the page's time. Every value is escaped."""
    detail = reverse("funding:application-detail", args=[0])[: -len("0/")]
    decide = reverse("funding:application-decide", args=[0])[: -len("0/decide/")]
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    out = []
    for r in rows:
        app = r.application
        title = escape(app.project_title)
        means = "".join(f"{numeric}{m}</td>" for m in r.means_text)
        score = f"{r.weighted_score} ({r.percentage}%)" if r.weighted_score is not None else "Not scored"
        over = "" if r.within_budget else '<br><strong class="govuk-tag govuk-tag--grey">Over budget</strong>'
        action = ""
        if can_decide and app.status == ApplicationStatus.ELIGIBLE:
            action = (
                f'<br><a class="govuk-link" href="{decide}{app.pk}/decide/">Decide'
                f'<span class="govuk-visually-hidden"> on {title}</span></a>'
            )
        out.append(
            f'<tr class="govuk-table__row">{numeric}{r.rank}</td>'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{detail}{app.pk}/">{title}</a><br>'
            f'<span class="govuk-body-s">{escape(app.organisation_name)}, {r.scorers} '
            f"scorer{'' if r.scorers == 1 else 's'}</span></td>{means}{numeric}{score}</td>"
            f"{numeric}{escape(r.requested_text)}</td>{numeric}{escape(r.running_text)}{over}</td>"
            f'<td class="govuk-table__cell">{escape(app.get_status_display())}{action}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


# --- applications -----------------------------------------------------------------------------------


@staff_view("funding.manage")
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant_round = get_allowed_object(
        request, GrantRound.objects.select_related("fund"), "funding.manage", pk=pk
    )
    form = ApplicationForm(request.POST or None)
    save = service_save(request, services.create_application, grant_round=grant_round)
    return form_page(
        request,
        form,
        save,
        lambda application: f"Application {application.reference} has been recorded.",
        done=record_page("funding:application-detail"),
        title=f"Record an application to {grant_round.name}",
    )


def _application_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    return {
        "application": application,
        "assignments": application.assignments.select_related("member"),
        "conflicts": application.conflicts.select_related("member"),
        "decision": getattr(application, "decision", None),
        "history": field_history(application),
        "can_manage": has_permission(request.user, "funding.manage"),
        "can_decide": has_permission(request.user, "funding.decide"),
        "eligibility_form": extra.pop("eligibility_form", None)
        or EligibilityForm(initial={"version": application.version}),
        "assign_form": extra.pop("assign_form", None) or AssignForm(),
        "checkable": application.status
        in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE),
        **extra,
    }


@staff_view("funding.view")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round", "round__fund"), "funding.view", pk=pk
    )
    return render(request, "funding/application_detail.html", _application_context(request, application))


@staff_view("funding.manage")
@require_POST
def application_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round"), "funding.manage", pk=pk
    )
    form = EligibilityForm(request.POST)
    if form.is_valid():
        choice = form.cleaned_data["eligible"]
        if choice not in ("yes", "no"):
            form.add_error("eligible", "Choose whether the application is eligible.")
        else:
            try:
                services.check_eligibility(
                    actor=staff_user(request),
                    application=application,
                    eligible=choice == "yes",
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except ValidationError as exc:
                form.add_service_errors(exc.message_dict)
            except ConflictError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Eligibility has been recorded.")
                return redirect("funding:application-detail", pk=application.pk)
    context = _application_context(request, application, eligibility_form=form, form=form)
    return render(request, "funding/application_detail.html", context)


@staff_view("funding.manage")
@require_POST
def application_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round"), "funding.manage", pk=pk
    )
    form = AssignForm(request.POST)

    def assign(form: AssignForm) -> Any:
        member = form.cleaned_data["member"]
        return services.assign_panel_member(actor=staff_user(request), application=application, member=member)

    def assigned(_saved: Any) -> str:
        return f"{form.cleaned_data['member'].full_name} has been assigned."

    saved, _status = save_form(request, form, assign, assigned)
    if saved:
        return redirect("funding:application-detail", pk=application.pk)
    context = _application_context(request, application, assign_form=form, form=form)
    return render(request, "funding/application_detail.html", context)


@staff_view("funding.decide")
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round", "round__fund"), "funding.decide", pk=pk
    )
    grant_round = application.round
    summary = selectors.moderation(grant_round=grant_round)
    ranked = next((r for r in summary.ranked if r.application.pk == application.pk), None)
    form = DecisionForm(
        request.POST or None,
        initial={"amount": _money(application.amount_requested or 0)},
        force_area=grant_round.fund.force_area,
    )
    if request.method == "POST" and form.is_valid():
        decided, _decision = call_service(
            form,
            services.decide_application,
            actor=staff_user(request),
            application=application,
            data=form.service_data(),
        )
        if decided:
            messages.success(request, f"The decision on {application.reference} has been recorded.")
            if form.cleaned_data.get("outcome") == "approve":
                for warning in selectors.fund_warnings(grant_round.fund, timezone.localdate()):
                    messages.warning(request, warning)
            return redirect("funding:round-moderation", pk=grant_round.pk)
    return render(
        request,
        "funding/decide.html",
        {
            "application": application,
            "round": grant_round,
            "summary": summary,
            "ranked": ranked,
            "form": form,
        },
    )


# --- panel members ----------------------------------------------------------------------------------


panel_list = list_view(lists.SCORING)


@staff_view("funding.score")
def panel_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round", "round__fund"), "funding.score", pk=pk
    )
    initial = {}
    user = staff_user(request)
    for score in application.scores.filter(member=user):
        initial[f"criterion_{score.criterion_id}"] = str(score.value)
        initial[f"comment_{score.criterion_id}"] = score.comment
    form = ScoreForm(request.POST or None, application=application, initial=initial)

    def save_scores(form: ScoreForm) -> Any:
        return services.score_application(
            actor=staff_user(request), application=application, scores=form.scores()
        )

    if save_form(request, form, save_scores, f"Your scores for {application.reference} have been saved.")[0]:
        return redirect("funding:panel-list")
    return render(request, "funding/score.html", {"application": application, "form": form})


@staff_view("funding.score")
def panel_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_allowed_object(
        request, Application.objects.select_related("round"), "funding.score", pk=pk
    )
    form = ConflictForm(request.POST or None)

    def declare(form: ConflictForm) -> Any:
        reason = form.cleaned_data["reason"]
        return services.declare_conflict(actor=staff_user(request), application=application, reason=reason)

    declared = f"Your conflict of interest on {application.reference} is recorded. You will not score it."
    if save_form(request, form, declare, declared)[0]:
        return redirect("funding:panel-list")
    return render(request, "funding/conflict.html", {"application": application, "form": form})


# --- awards -----------------------------------------------------------------------------------------


award_list = list_view(lists.AWARDS)


def _award_context(request: HttpRequest, award: Award, **extra: Any) -> dict[str, Any]:
    version = {"version": award.version}
    table = monitoring_selectors.measure_table(award, charts=True)
    return {
        "award": award,
        "payments": award.payments.all(),
        "returns": [period.monitoring_return for period in table.periods],
        "measure_table": table,
        "return_form": ReturnScheduleForm(),
        "variations": award.variations.select_related("approved_by", "created_by"),
        "clawbacks": award.clawbacks.select_related("decided_by"),
        "history": field_history(award),
        "fund_warnings": selectors.fund_warnings(award.fund, award.awarded_on),
        "can_manage": has_permission(request.user, "funding.manage"),
        "payment_form": extra.pop("payment_form", None) or PaymentForm(),
        "variation_form": extra.pop("variation_form", None) or VariationForm(initial=version),
        "clawback_form": extra.pop("clawback_form", None) or ClawbackForm(initial=version),
        **extra,
    }


def _award_for(request: HttpRequest, pk: int, action: str) -> Award:
    return get_allowed_object(
        request,
        Award.objects.select_related("fund", "application", "recipient", "csp", "ward__lad"),
        action,
        pk=pk,
    )


@staff_view("funding.manage")
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the award to its recipient in the directory, the CSP area it serves and the ward, if one."""
    award = _award_for(request, pk, "funding.manage")
    initial = {
        "recipient": award.recipient_id,
        "csp": award.csp.code if award.csp else "",
        "ward": award.ward.code if award.ward else "",
        "version": award.version,
    }
    form = AwardDetailsForm(request.POST or None, initial=initial, force_area=award.fund.force_area)
    save = service_save(request, services.update_award_details, versioned=True, award=award)
    done = reverse("funding:award-detail", args=[award.pk])
    title = f"Recipient and area: {award.title}"
    return form_page(request, form, save, "The award's details have been saved.", done=done, title=title)


def _award_change(
    request: HttpRequest, pk: int, form_class: Any, service: Any, form_key: str, done: str
) -> HttpResponse:
    award = _award_for(request, pk, "funding.manage")
    form = form_class(request.POST)
    saved, status = save_versioned_form(request, form, service, done, award=award)
    if saved:
        return redirect("funding:award-detail", pk=award.pk)
    award.refresh_from_db()
    context = _award_context(request, award, form=form, **{form_key: form})
    return render(request, "funding/award_detail.html", context, status=status)


@staff_view("funding.manage")
@require_POST
def award_vary(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_change(
        request, pk, VariationForm, services.vary_award, "variation_form", "The variation has been recorded."
    )


@staff_view("funding.manage")
@require_POST
def award_clawback(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_change(
        request,
        pk,
        ClawbackForm,
        services.record_clawback,
        "clawback_form",
        "The clawback has been recorded.",
    )


@staff_view("funding.view")
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award_for(request, pk, "funding.view")
    return render(request, "funding/award_detail.html", _award_context(request, award))


@staff_view("funding.manage")
@require_POST
def award_payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_allowed_object(
        request, Award.objects.select_related("fund", "application"), "funding.manage", pk=pk
    )
    form = PaymentForm(request.POST)
    save = service_save(request, services.add_payment, award=award)
    if save_form(request, form, save, "The payment has been added to the schedule.")[0]:
        return redirect("funding:award-detail", pk=award.pk)
    return render(
        request, "funding/award_detail.html", _award_context(request, award, payment_form=form, form=form)
    )


@staff_view("funding.score")
def document_download(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """Staff who read funding, and the panel members assigned to the application, may download."""
    application = get_object_or_404(Application, pk=pk)
    if not (
        has_permission(request.user, "funding.view")
        or has_permission(request.user, "funding.score", application)
    ):
        raise deny(request, "funding.view", obj=application)
    return serve_document(application, document)


def serve_document(application: Application, document_pk: int) -> HttpResponse:
    """A stored document as a download (never shown inline), with the type checked on upload. Files are
    at most a few megabytes, so they are read whole and the file closed at once."""
    document = get_object_or_404(application.documents, pk=document_pk)
    with document.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.original_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
