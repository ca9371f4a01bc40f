"""Staff pages of the partnership register and the public register. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.forms import form_page, run_service, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.views.base import deny, get_allowed_object, staff_user, staff_view

from . import imports, landscape, lists, selectors, services
from .forms import (
    ActionCompleteForm,
    ActionForm,
    ActionUpdateForm,
    AssessmentForm,
    BenefitForm,
    DeclarationForm,
    LandscapeFilterForm,
    MembershipForm,
    ObjectiveForm,
    PartnershipForm,
    PlanForm,
    RegisterImportForm,
    RemoveForm,
    ReviewForm,
    RiskForm,
    ServiceForm,
    TransitionForm,
)
from .lifecycle import TRANSITIONS, available_transitions
from .models import (
    Declaration,
    Membership,
    Partnership,
    PartnershipAction,
    Plan,
    Question,
    ReviewAction,
    ReviewDecision,
    Risk,
    Status,
)

# --- register list and export -----------------------------------------------------------------------------


partnership_list = list_view(lists.REGISTER)


# The register's full CSV at its older address (every field, the members and their shares): the list's own
# export with the columns it always had, for the list's rows, filters and sort.
partnership_export = download_view(
    lists.REGISTER, columns=lists.REGISTER_CSV_COLUMNS, prefetch=("memberships__organisation",)
)


@staff_view("partnerships.view")
def register_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/overview.html",
        {"summary": selectors.register_summary(user=staff_user(request))},
    )


@staff_view("partnerships.view")
def partnership_landscape(request: HttpRequest) -> HttpResponse:
    """Organisations and the partnerships that join them: a picture (up to a cap) and a table of all."""
    form = LandscapeFilterForm(request.GET or None)
    partnerships = selectors.list_landscape(user=staff_user(request), **form.filters())
    too_many = len(partnerships) > landscape.MAX_PARTNERSHIPS
    return render(
        request,
        "partnerships/landscape.html",
        {
            "filter_form": form,
            "partnerships": partnerships,
            "count": len(partnerships),
            "too_many": too_many,
            "max_partnerships": landscape.MAX_PARTNERSHIPS,
            "picture": None if too_many or not partnerships else landscape.layout(partnerships),
        },
    )


# --- one partnership --------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    assessment = selectors.get_assessment(partnership)
    answers = {a.question: a for a in assessment.answers.all()} if assessment else {}
    risks = list(partnership.risks.all())
    benefits = list(partnership.benefits.all())
    user = request.user
    # Continue, revise and terminate are made by completing the review form, not by a bare button.
    transitions = [
        t
        for t in available_transitions(partnership.status)
        if t.name not in ReviewDecision.values and has_permission(user, t.action, partnership)
    ]
    return {
        "partnership": partnership,
        "memberships": list(partnership.memberships.all()),
        "objectives": list(partnership.objectives.all()),
        "risks": risks,
        "heat_map": selectors.heat_map(risks),
        "declarations": list(partnership.declarations.all()),
        "reviews": list(partnership.reviews.prefetch_related("actions")),
        "benefits": benefits,
        "savings_projected": sum((b.savings_projected or 0 for b in benefits), Decimal("0")),
        "savings_realised": sum((b.savings_realised or 0 for b in benefits), Decimal("0")),
        "can_review": has_permission(user, "partnerships.review", partnership)
        and partnership.status == Status.UNDER_REVIEW,
        "assessment": assessment,
        "assessment_rows": [
            (Question(q).label, answers.get(q)) for q in (assessment.questions if assessment else ())
        ],
        "assessment_problems": services.assessment_problems(assessment) if assessment else [],
        "suggestion": services.suggest({q: a.rating for q, a in answers.items()}),
        "cost_share_problem": services.cost_share_problem(partnership),
        "history": field_history(partnership),
        "transitions": transitions,
        "transition_form": TransitionForm(initial={"version": partnership.version}),
        "today": timezone.localdate(),
        "can_change": has_permission(user, "partnerships.change", partnership)
        and partnership.status not in (Status.DECLINED, Status.TERMINATED),
        "can_mark_actions": has_permission(user, "partnerships.change", partnership),
        "actions": list(partnership.actions.all()),
        "can_assess": has_permission(user, "partnerships.assess", partnership)
        and partnership.status in (Status.PROPOSED, Status.UNDER_ASSESSMENT, Status.REVISED),
    }


def _get_for_page(request: HttpRequest, pk: int) -> Partnership:
    try:
        return selectors.get_partnership_for_page(user=staff_user(request), pk=pk)
    except Partnership.DoesNotExist:
        raise deny(request, "partnerships.view") from None


@staff_view("partnerships.view")
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _get_for_page(request, pk)
    return render(request, "partnerships/detail.html", _detail_context(request, partnership))


@staff_view("partnerships.transition")
@require_POST
def partnership_transition(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    step = TRANSITIONS.get(transition)
    if step is None:
        raise Http404("No such lifecycle step")
    partnership = get_allowed_object(request, Partnership.objects.all(), "partnerships.transition", pk=pk)
    if not has_permission(request.user, step.action, partnership):
        raise deny(request, step.action, obj=partnership)
    form = TransitionForm(request.POST)
    form.is_valid()
    status = 200
    try:
        services.transition_partnership(
            actor=staff_user(request),
            partnership=partnership,
            transition=transition,
            reason=form.cleaned_data.get("reason") or "",
            expected_version=form.cleaned_data.get("version") or partnership.version,
        )
    except NotAllowed:
        raise deny(request, step.action, obj=partnership) from None
    except ValidationError as exc:
        errors = exc.messages
    except ConflictError as exc:
        errors, status = [str(exc)], 409
    else:
        messages.success(request, f"{partnership.name} is now {partnership.get_status_display().lower()}.")
        return redirect("partnerships:detail", pk=partnership.pk)
    partnership = _get_for_page(request, pk)
    context = _detail_context(request, partnership)
    context["transition_errors"] = errors
    context["failed_transition"] = step
    return render(request, "partnerships/detail.html", context, status=status)


@staff_view("partnerships.propose")
def partnership_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PartnershipForm(
            request.POST or None, initial={"visibility": "internal", "review_cadence_months": "12"}
        ),
        service_save(request, services.create_partnership),
        lambda partnership: f"{partnership.name} has been proposed.",
        done=_partnership_url,
        template="partnerships/form.html",
        context={"partnership": None},
    )


def _partnership_url(partnership: Partnership) -> str:
    return reverse("partnerships:detail", args=[partnership.pk])


@staff_view("partnerships.change")
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_allowed_object(
        request, Partnership.objects.prefetch_related("areas"), "partnerships.change", pk=pk
    )
    return form_page(
        request,
        PartnershipForm(request.POST or None, initial=PartnershipForm.initial_from(partnership)),
        service_save(request, services.update_partnership, versioned=True, partnership=partnership),
        "Your changes have been saved.",
        done=_partnership_url,
        template="partnerships/form.html",
        context={"partnership": partnership},
    )


@staff_view("partnerships.assess")
def partnership_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_allowed_object(request, Partnership.objects.all(), "partnerships.assess", pk=pk)
    assessment = selectors.get_assessment(partnership)
    initial: dict[str, Any] = {"includes_pcc_questions": True}
    if assessment is not None:
        initial = {
            "includes_pcc_questions": assessment.includes_pcc_questions,
            "recommendation": assessment.recommendation,
            "recommendation_reason": assessment.recommendation_reason,
            "version": assessment.version,
        }
        for answer in assessment.answers.all():
            initial[f"{answer.question}_rating"] = answer.rating
            initial[f"{answer.question}_evidence"] = answer.evidence
    includes_pcc = (
        request.POST.get("includes_pcc_questions") == "on"
        if request.method == "POST"
        else initial["includes_pcc_questions"]
    )
    form = AssessmentForm(request.POST or None, initial=initial, includes_pcc_questions=includes_pcc)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(
                actor=staff_user(request),
                partnership=partnership,
                expected_version=form.cleaned_data.get("version"),
                includes_pcc_questions=includes_pcc,
                answers=form.answers(),
                recommendation=form.cleaned_data.get("recommendation") or "",
                recommendation_reason=form.cleaned_data.get("recommendation_reason") or "",
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except ConflictError as exc:
            status = 409
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The assessment has been saved.")
            return redirect("partnerships:detail", pk=partnership.pk)
    ratings = {
        q: (form.data.get(f"{q}_rating") if form.is_bound else initial.get(f"{q}_rating")) or ""
        for q in Question.values
    }
    return render(
        request,
        "partnerships/assessment_form.html",
        {
            "form": form,
            "partnership": partnership,
            "suggestion": services.suggest(ratings),
            "questions": [
                (form[f"{q}_rating"], form[f"{q}_evidence"])
                for q in Question.values
                if f"{q}_rating" in form.fields
            ],
        },
        status=status,
    )


def _child_form_view(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[ServiceForm],
    save: Callable[[Partnership, ServiceForm], Any],
    title: str,
    done: str,
) -> HttpResponse:
    partnership = get_allowed_object(request, Partnership.objects.all(), "partnerships.change", pk=pk)
    return form_page(
        request,
        form_class(request.POST or None),
        lambda form: save(partnership, form),
        done,
        done=lambda _: _partnership_url(partnership),
        template="partnerships/child_form.html",
        context={"partnership": partnership, "title": title},
    )


def _child_add(
    form_class: type[ServiceForm], service: Callable[..., Any], *, title: str, done: str
) -> Callable[..., HttpResponseBase]:
    """The page adding a record to a partnership with `service(actor=..., partnership=..., data=...)`."""

    @staff_view("partnerships.change")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        def save(partnership: Partnership, form: ServiceForm) -> Any:
            return service(actor=staff_user(request), partnership=partnership, data=form.service_data())

        return _child_form_view(request, pk, form_class=form_class, save=save, title=title, done=done)

    return view


membership_add = _child_add(
    MembershipForm, services.save_membership, title="Add a member", done="The member has been added."
)
risk_add = _child_add(RiskForm, services.save_risk, title="Add a risk", done="The risk has been added.")
declaration_add = _child_add(
    DeclarationForm,
    services.add_declaration,
    title="Declare a transaction or interest",
    done="The declaration has been recorded.",
)
benefit_add = _child_add(
    BenefitForm,
    services.save_benefit,
    title="Record expected or realised benefits",
    done="The benefits have been recorded.",
)


@staff_view("partnerships.change")
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(partnership: Partnership, form: ServiceForm) -> Any:
        data = form.cleaned_data
        return services.add_objective(
            actor=staff_user(request),
            partnership=partnership,
            text=data.get("text") or "",
            priorities=list(data.get("priorities") or []),
            csp_priorities=data.get("csp_priorities") or "",
        )

    title, done = "Add an objective", "The objective has been added."
    return _child_form_view(request, pk, form_class=ObjectiveForm, save=save, title=title, done=done)


@staff_view("partnerships.review")
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_allowed_object(request, Partnership.objects.all(), "partnerships.review", pk=pk)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate().isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_review(
                actor=staff_user(request),
                partnership=partnership,
                data=form.service_data(),
                actions=form.actions(),
            )
        except NotAllowed:
            raise deny(request, "partnerships.review", obj=partnership) from None
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            partnership.refresh_from_db()
            messages.success(
                request,
                f"The review is complete: {partnership.name} is now {partnership.get_status_display().lower()}.",
            )
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/child_form.html",
        {"form": form, "partnership": partnership, "title": "Complete the review"},
    )


# --- removing members, risks and declarations; follow-up actions -------------------------------------------


def _child_post(
    request: HttpRequest,
    pk: int,
    *,
    child_queryset: Any,
    child_pk: int,
    act: Callable[[Partnership, Any], Any],
    done: str,
    anchor: str,
) -> HttpResponse:
    """A POST-only button on the partnership page: find the partnership and its record, act, go back."""
    partnership = get_allowed_object(request, Partnership.objects.all(), "partnerships.change", pk=pk)
    child = child_queryset.filter(pk=child_pk).first()
    if child is None:
        raise deny(request, "partnerships.change", obj=partnership)
    try:
        run_service(request, lambda: act(partnership, child), done)
    except NotAllowed:
        raise deny(request, "partnerships.change", obj=partnership) from None
    return redirect(f"{reverse('partnerships:detail', args=[partnership.pk])}#{anchor}")


def _reason(request: HttpRequest) -> str:
    form = RemoveForm(request.POST)
    return (form.cleaned_data.get("reason") or "") if form.is_valid() else ""


def _child_remove(model: Any, service: Callable[..., Any], as_: str, *, done: str, anchor: str) -> Any:
    """The POST-only button removing a partnership's record of `model` (the URL's one argument after the
    partnership's) with `service(actor=..., partnership=..., <as_>=record, reason=...)`, the reason given."""

    @staff_view("partnerships.change")
    @require_POST
    def view(request: HttpRequest, pk: int, **child: int) -> HttpResponse:
        (child_pk,) = child.values()

        def act(partnership: Partnership, record: Any) -> Any:
            return service(
                actor=staff_user(request), partnership=partnership, reason=_reason(request), **{as_: record}
            )

        children = model.objects.filter(partnership=pk)
        return _child_post(
            request, pk, child_queryset=children, child_pk=child_pk, act=act, done=done, anchor=anchor
        )

    return view


membership_remove = _child_remove(
    Membership,
    services.remove_membership,
    "membership",
    done="The member has been removed.",
    anchor="members",
)
risk_remove = _child_remove(
    Risk, services.remove_risk, "risk", done="The risk has been removed.", anchor="risks"
)
declaration_remove = _child_remove(
    Declaration,
    services.remove_declaration,
    "declaration",
    done="The declaration has been removed.",
    anchor="declarations",
)


@staff_view("partnerships.change")
@require_POST
def review_action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    return _child_post(
        request,
        pk,
        child_queryset=ReviewAction.objects.filter(review__partnership=pk).select_related("review"),
        child_pk=action_pk,
        act=lambda p, a: services.mark_review_action_done(actor=staff_user(request), partnership=p, action=a),
        done="The follow-up action is marked as done.",
        anchor="reviews",
    )


# --- Police and Crime Plans -------------------------------------------------------------------------------


plan_list = list_view(lists.PLANS)
action_list = list_view(lists.ACTIONS)


@staff_view("partnerships.change")
def plan_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PlanForm(request.POST or None),
        lambda form: services.create_plan(
            actor=staff_user(request), data=form.service_data(), priorities=form.priority_titles()
        ),
        lambda plan: f"{plan.title} has been recorded.",
        done=lambda plan: reverse("partnerships:plan-detail", args=[plan.pk]),
        template="partnerships/plan_form.html",
        context={},
    )


@staff_view("partnerships.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plan = selectors.get_plan(user=staff_user(request), pk=pk)
    except Plan.DoesNotExist:
        raise deny(request, "partnerships.view") from None
    return render(request, "partnerships/plan_detail.html", {"plan": plan})


# --- public register --------------------------------------------------------------------------------------


public_list = list_view(lists.PUBLIC_REGISTER)


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        partnership = selectors.list_public_partnerships().get(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404("Page not found") from None
    return render(request, "partnerships/public_detail.html", {"partnership": partnership})


# The whole register at its older addresses, with the columns (CSV) and the structured fields (JSON) they
# always had: the public list's own export, keeping its filters.
public_export_csv = download_view(lists.PUBLIC_REGISTER, columns=lists.PUBLIC_CSV_COLUMNS)
public_export_json = download_view(lists.PUBLIC_REGISTER, "json", columns=lists.PUBLIC_JSON_COLUMNS)


# --- import of an existing register ------------------------------------------------------------------------


@staff_view("partnerships.import")
def register_import(request: HttpRequest) -> HttpResponse:
    """Upload a register CSV: every row is checked; all rows are imported or none, with every problem."""
    posted = request.method == "POST"
    form = RegisterImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        result = imports.import_register(actor=staff_user(request), file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, result.summary())
            return redirect("partnerships:list")
    return render(
        request,
        "partnerships/import.html",
        {
            "form": form,
            "result": result,
            "columns": [(c, imports.COLUMN_HELP.get(c, "")) for c in imports.TEMPLATE_HEADER],
            "required_columns": imports.REQUIRED_COLUMNS,
        },
    )


@staff_view("partnerships.import")
def register_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnership-register-template.csv"'
    return response


# --- the action plan -------------------------------------------------------------------------------------


def _action(request: HttpRequest, pk: int, action_pk: int) -> tuple[Partnership, PartnershipAction]:
    """The partnership the person may change and its action `action_pk`, or 404."""
    partnership = get_allowed_object(
        request, Partnership.objects.select_related("lead_organisation"), "partnerships.change", pk=pk
    )
    action = PartnershipAction.objects.filter(partnership=partnership, pk=action_pk).first()
    if action is None:
        raise deny(request, "partnerships.change", obj=partnership)
    return partnership, action


def _actions_url(partnership: Partnership) -> str:
    return f"{reverse('partnerships:detail', args=[partnership.pk])}#actions"


def _action_page(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    save: Callable[[Any], Any],
    success: str,
    title: str,
) -> HttpResponse:
    """A form about the action plan: saved, back to the plan on the partnership's page."""
    return form_page(
        request,
        form,
        save,
        success,
        done=lambda _: _actions_url(partnership),
        template="partnerships/child_form.html",
        context={"partnership": partnership, "title": title},
    )


@staff_view("partnerships.change")
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_allowed_object(
        request, Partnership.objects.select_related("lead_organisation"), "partnerships.change", pk=pk
    )
    return _action_page(
        request,
        partnership,
        ActionForm(request.POST or None, owners=services.action_owners(partnership)),
        service_save(request, services.save_action, partnership=partnership),
        "The action has been added.",
        "Add an action",
    )


@staff_view("partnerships.change")
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    partnership, action = _action(request, pk, action_pk)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS if name != "owner"}
    initial |= {"owner": action.owner_id, "version": action.version}
    return _action_page(
        request,
        partnership,
        ActionForm(request.POST or None, initial=initial, owners=services.action_owners(partnership)),
        service_save(request, services.save_action, versioned=True, partnership=partnership, action=action),
        "The action has been saved.",
        "Edit an action",
    )


@staff_view("partnerships.change")
def action_update_add(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    partnership, action = _action(request, pk, action_pk)
    return _action_page(
        request,
        partnership,
        ActionUpdateForm(request.POST or None, initial={"recorded_on": timezone.localdate().isoformat()}),
        service_save(request, services.add_action_update, partnership=partnership, action=action),
        "The progress has been recorded.",
        f"Record progress: {action}",
    )


@staff_view("partnerships.change")
@require_POST
def action_complete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    partnership, action = _action(request, pk, action_pk)
    form = ActionCompleteForm(request.POST)
    version = (form.cleaned_data.get("version") if form.is_valid() else None) or 0
    run_service(
        request,
        lambda: services.complete_action(
            actor=staff_user(request), partnership=partnership, action=action, expected_version=version
        ),
        "The action is marked as complete.",
    )
    return redirect(_actions_url(partnership))
