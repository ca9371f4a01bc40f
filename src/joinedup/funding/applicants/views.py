"""Public pages for applicants with no staff account: register, verify, sign in, apply, upload, submit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from joinedup.core.services.errors import ConflictError
from joinedup.core.throttling import lockout_minutes

from ..models import (
    Applicant,
    Application,
    ApplicationStatus,
    GrantRound,
    MonitoringReturn,
    ReturnStatus,
    RoundStatus,
)
from ..monitoring import selectors as monitoring_selectors
from ..monitoring import services as monitoring_services
from ..monitoring.forms import ApplicantReturnForm
from ..views import call_service, serve_document
from . import services as applicants
from .forms import (
    ApplicantApplicationForm,
    ApplicantSignInForm,
    DocumentForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RegisterForm,
)

SESSION_KEY = "funding_applicant_id"
LOCKOUT_STATUS = 429

# An application's status as its applicant reads it: the eligibility check is the office's, so an
# application waiting for its decision is "Submitted" either way.
APPLICANT_STATUS = {
    ApplicationStatus.DRAFT: gettext_lazy("Draft"),
    ApplicationStatus.SUBMITTED: gettext_lazy("Submitted"),
    ApplicationStatus.ELIGIBLE: gettext_lazy("Submitted"),
    ApplicationStatus.INELIGIBLE: gettext_lazy("Submitted"),
    ApplicationStatus.APPROVED: gettext_lazy("Approved"),
    ApplicationStatus.DECLINED: gettext_lazy("Declined"),
}
# The application form's submit button: its value is its label, in the language the form was shown in.
SUBMIT = "Submit application"


def _submitting(request: HttpRequest) -> bool:
    return request.POST.get("action") in (SUBMIT, _(SUBMIT))


def applicant_status(application: Application) -> str:
    status = APPLICANT_STATUS.get(ApplicationStatus(application.status))
    return str(status) if status is not None else application.get_status_display()


# A monitoring return's status as its grant holder reads it.
RETURN_STATUS = {
    ReturnStatus.DUE: gettext_lazy("Due"),
    ReturnStatus.SUBMITTED: gettext_lazy("Submitted"),
    ReturnStatus.CHANGES_REQUESTED: gettext_lazy("Changes requested"),
    ReturnStatus.ACCEPTED: gettext_lazy("Accepted"),
}


def return_status(monitoring_return: MonitoringReturn) -> str:
    if monitoring_return.is_overdue:
        return str(gettext_lazy("Overdue"))
    return str(RETURN_STATUS[ReturnStatus(monitoring_return.status)])


def current_applicant(request: HttpRequest) -> Applicant | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return Applicant.objects.filter(pk=pk, is_active=True, email_verified_at__isnull=False).first()


def applicant_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Require a signed-in, verified applicant; otherwise send them to sign in."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        applicant = current_applicant(request)
        if applicant is None:
            return redirect(f"{reverse('public-funding:applicant-sign-in')}?next={request.path}")
        return view(request, applicant, *args, **kwargs)

    return wrapper


def _own_application(applicant: Applicant, pk: int) -> Application:
    """Only the applicant's own application: anyone else's is not found."""
    try:
        return Application.objects.select_related("round", "round__fund").get(pk=pk, applicant=applicant)
    except Application.DoesNotExist:
        raise Http404 from None


def apply_home(request: HttpRequest) -> HttpResponse:
    applicant = current_applicant(request)
    rounds = [
        r
        for r in GrantRound.objects.filter(status=RoundStatus.OPEN).select_related("fund")
        if applicants.is_open(r)
    ]
    return render(
        request,
        "funding/public/apply_home.html",
        {
            "applicant": applicant,
            "rounds": rounds,
            "applications": [
                (application, applicant_status(application))
                for application in applicant.applications.select_related("round").order_by("-pk")
            ]
            if applicant
            else [],
            "returns": [
                (monitoring_return, return_status(monitoring_return))
                for monitoring_return in monitoring_selectors.applicant_returns(applicant)
            ]
            if applicant
            else [],
        },
    )


def applicant_register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address already has an account (its owner is emailed).
        registered, _applicant = call_service(
            form,
            applicants.register_applicant,
            data=form.service_data(),
            absolute_url=request.build_absolute_uri,
            request=request,
        )
        if registered:
            return render(request, "funding/public/check_email.html", {"email": form.cleaned_data["email"]})
    return render(
        request,
        "funding/public/form.html",
        {"form": form, "title": _("Create an account to apply for a grant")},
    )


def applicant_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        applicants.verify_applicant(token=token)
    except ValidationError as exc:
        return render(request, "funding/public/verify.html", {"error": exc.messages[0]})
    messages.success(request, _("Your email address is verified. Sign in to apply."))
    return redirect("public-funding:applicant-sign-in")


@sensitive_post_parameters("password")
@never_cache
def applicant_sign_in(request: HttpRequest) -> HttpResponse:
    form = ApplicantSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            applicant = applicants.authenticate_applicant(
                email=form.cleaned_data["email"] or "",
                password=form.cleaned_data["password"] or "",
                request=request,
            )
        except applicants.SignInLocked as exc:
            form.add_error(None, str(exc))
            status = LOCKOUT_STATUS
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = applicant.pk
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/apply/") else "public-funding:apply-home")
    response = render(
        request,
        "funding/public/form.html",
        {"form": form, "title": _("Sign in to apply for a grant"), "sign_in_links": True},
        status=status,
    )
    if status == LOCKOUT_STATUS:
        response["Retry-After"] = str(lockout_minutes() * 60)
    return response


@never_cache
def applicant_password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer never says whether the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        applicants.request_password_reset(
            email=email, site_url=request.build_absolute_uri("/"), request=request
        )
        return render(request, "funding/public/reset_sent.html", {"email": email})
    return render(
        request,
        "funding/public/form.html",
        {
            "form": form,
            "title": _("Reset your password"),
            "intro": _(
                "Enter the email address you registered with. If it has an account, we will email "
                "it a link to choose a new password."
            ),
        },
    )


@sensitive_post_parameters("password")
@never_cache
def applicant_password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        applicants.applicant_for_reset(token=token)
    except ValidationError as exc:
        return render(request, "funding/public/reset_invalid.html", {"error": exc.messages[0]})
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicants.reset_password(token=token, password=form.cleaned_data["password"] or "")
        except ValidationError as exc:
            if "token" in exc.message_dict:
                return render(request, "funding/public/reset_invalid.html", {"error": exc.messages[0]})
            form.add_service_errors(exc.message_dict)
        else:
            request.session.pop(SESSION_KEY, None)
            request.session.cycle_key()
            messages.success(request, _("Your password has been changed. Sign in with your new password."))
            return redirect("public-funding:applicant-sign-in")
    return render(request, "funding/public/form.html", {"form": form, "title": _("Choose a new password")})


@require_POST
def applicant_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("public-funding:apply-home")


@applicant_view
def applicant_start(request: HttpRequest, applicant: Applicant, pk: int) -> HttpResponse:
    grant_round = GrantRound.objects.select_related("fund").filter(pk=pk).first()
    if grant_round is None or not applicants.is_open(grant_round):
        raise Http404
    form = ApplicantApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, application = call_service(
            form,
            applicants.save_draft,
            applicant=applicant,
            grant_round=grant_round,
            data=form.service_data(),
        )
        if saved:
            if _submitting(request):
                return _submit(request, applicant, application, form)
            messages.success(request, _("Your draft has been saved."))
            return redirect("public-funding:applicant-application", pk=application.pk)
    return render(
        request,
        "funding/public/application_form.html",
        {"form": form, "round": grant_round, "applicant": applicant, "application": None},
    )


def _application_page(
    request: HttpRequest,
    applicant: Applicant,
    application: Application,
    form: ApplicantApplicationForm,
    document_form: DocumentForm | None = None,
) -> HttpResponse:
    """A draft application's form page, with its documents' upload form (showing its errors when given)."""
    context: dict[str, Any] = {
        "form": form,
        "round": application.round,
        "applicant": applicant,
        "application": application,
        "document_form": document_form or DocumentForm(),
    }
    if document_form is not None:
        context["upload_errors"] = True
    return render(request, "funding/public/application_form.html", context)


def _draft_initial(application: Application) -> dict[str, Any]:
    """The draft's answers, as the application form's initial values."""
    return {
        "project_title": application.project_title,
        "project_description": application.project_description,
        "amount_requested": application.amount_requested or "",
    }


def _submit(
    request: HttpRequest, applicant: Applicant, application: Application, form: ApplicantApplicationForm
) -> HttpResponse:
    submitted, _application = call_service(
        form,
        applicants.submit_application,
        applicant=applicant,
        application=application,
        data=form.service_data(),
    )
    if not submitted:
        return _application_page(request, applicant, application, form)
    messages.success(
        request,
        _("Your application %(reference)s has been submitted.") % {"reference": application.reference},
    )
    return redirect("public-funding:applicant-application", pk=application.pk)


@applicant_view
def applicant_application(request: HttpRequest, applicant: Applicant, pk: int) -> HttpResponse:
    application = _own_application(applicant, pk)
    if application.status != "draft" or not applicants.is_open(application.round):
        return render(
            request,
            "funding/public/application_view.html",
            {"application": application, "applicant": applicant, "status": applicant_status(application)},
        )
    form = ApplicantApplicationForm(request.POST or None, initial=_draft_initial(application))
    if request.method == "POST" and form.is_valid():
        if _submitting(request):
            return _submit(request, applicant, application, form)
        saved, _draft = call_service(
            form,
            applicants.save_draft,
            applicant=applicant,
            grant_round=application.round,
            data=form.service_data(),
            application=application,
        )
        if saved:
            messages.success(request, _("Your draft has been saved."))
            return redirect("public-funding:applicant-application", pk=application.pk)
    return _application_page(request, applicant, application, form)


@applicant_view
@require_POST
def applicant_upload(request: HttpRequest, applicant: Applicant, pk: int) -> HttpResponse:
    application = _own_application(applicant, pk)
    document_form = DocumentForm(request.POST, request.FILES)
    if document_form.is_valid():
        upload = document_form.cleaned_data.get("document")
        if upload is None:
            document_form.add_error("document", _("Choose a file to upload."))
        else:
            uploaded, _document = call_service(
                document_form,
                applicants.add_document,
                applicant=applicant,
                application=application,
                upload=upload,
            )
            if uploaded:
                messages.success(request, _("%(file)s has been uploaded.") % {"file": upload.name})
                return redirect("public-funding:applicant-application", pk=application.pk)
    return _application_page(
        request,
        applicant,
        application,
        ApplicantApplicationForm(initial=_draft_initial(application)),
        document_form,
    )


@applicant_view
def applicant_document(request: HttpRequest, applicant: Applicant, pk: int, document: int) -> HttpResponse:
    application = _own_application(applicant, pk)
    return serve_document(application, document)


@applicant_view
def applicant_return(request: HttpRequest, applicant: Applicant, pk: int) -> HttpResponse:
    """A monitoring return of the applicant's own grant: the form while it is open (due, or reopened for
    changes), then what they submitted. Anyone else's return is not found."""
    try:
        monitoring_return = monitoring_selectors.own_return(applicant, pk)
    except MonitoringReturn.DoesNotExist:
        raise Http404 from None
    measures = list(monitoring_return.award.outcome_measures.all())
    context: dict[str, Any] = {
        "applicant": applicant,
        "monitoring_return": monitoring_return,
        "status": return_status(monitoring_return),
        "values": monitoring_return.measure_values.select_related("measure"),
    }
    if not monitoring_return.is_open:
        if request.method == "POST":
            messages.error(request, _("This return has already been submitted."))
        return render(request, "funding/public/return.html", context)
    initial: dict[str, Any] = {
        "version": monitoring_return.version,
        "spend": monitoring_return.spend if monitoring_return.spend is not None else "",
        "outputs": monitoring_return.outputs,
        "outcomes": monitoring_return.outcomes,
        "narrative": monitoring_return.narrative,
    }
    # Reopened for changes: their earlier answers, to change.
    initial.update({f"measure_{v.measure_id}": v.value for v in context["values"]})
    form = ApplicantReturnForm(request.POST or None, measures=measures, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_services.submit_monitoring_return(
                applicant=applicant,
                monitoring_return=monitoring_return,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.service_data(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except ConflictError:
            form.add_error(
                None,
                _(
                    "This return was changed while you were filling it in, so yours has not been "
                    "submitted. Reload the page and submit it again."
                ),
            )
            status = 409
        else:
            messages.success(
                request,
                _("Your monitoring return has been submitted. The office will review it."),
            )
            return redirect("public-funding:applicant-return", pk=monitoring_return.pk)
    context["form"] = form
    return render(request, "funding/public/return.html", context, status=status)
