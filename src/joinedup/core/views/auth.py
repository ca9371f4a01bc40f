"""Staff sign-in by email address, the second factor, sign-out, lockout and choosing a password.

Failed attempts are counted per (account, address) and per address by django-axes (AxesStandaloneBackend
runs inside `authenticate`; the policy is in core.throttling); after a limit, AxesMiddleware swaps the
response for `locked_out` below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.audit import record_event
from joinedup.core.forms_auth import (
    LOCKOUT_MESSAGE,
    SIGN_IN_ERROR,
    WRONG_BACKUP_CODE,
    WRONG_CODE,
    BackupCodeForm,
    SecurityCodeForm,
    SignInForm,
)
from joinedup.core.models import EventType
from joinedup.core.services.sign_in import backup_codes_left, use_backup_code
from joinedup.core.throttling import lockout_minutes
from joinedup.core.views.base import needs_second_factor

LOCKOUT_STATUS = 429


def safe_next(request: HttpRequest) -> str:
    """The `next` address when it is on this site, otherwise ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _after_sign_in(request: HttpRequest, next_url: str) -> HttpResponse:
    """Where a person goes once their password is accepted (or they are already signed in)."""
    user: Any = request.user
    required = user.role in settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device and needs_second_factor(request):
        return redirect(_with_next(reverse("staff:two-factor"), next_url))
    if required and not has_device:
        return redirect(_with_next(reverse("staff:two-factor-setup"), next_url))
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return _after_sign_in(request, next_url)
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is not None:
            login(request, user)  # new session; the user_logged_in signal writes SIGN_IN to the event log
            return _after_sign_in(request, next_url)
        # Never say which of the two was wrong. When this attempt locks the account, AxesMiddleware
        # replaces this response with `locked_out`.
        form.add_error(None, SIGN_IN_ERROR)
    return render(request, "core/auth/sign_in.html", {"form": form, "next": next_url})


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE. django-axes 8.3 calls it as (request, original_response, credentials) from
    its middleware, or (request, credentials) on older paths; the credentials are the dict argument."""
    credentials = kwargs.get("credentials")
    if credentials is None:
        credentials = next((arg for arg in args if isinstance(arg, dict)), None) or {}
    email = str(credentials.get("username") or request.POST.get("email") or "")
    form = SignInForm(data={"email": email, "password": "-"})
    form.is_valid()
    form.add_error(None, LOCKOUT_MESSAGE)
    response = render(
        request,
        "core/auth/sign_in.html",
        {"form": form, "next": safe_next(request), "locked_out": True},
        status=LOCKOUT_STATUS,
    )
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


def _second_factor_passed(request: HttpRequest, device: Any, next_url: str) -> HttpResponse:
    """Mark the session verified with `device`, give it a new key, and send the person on."""
    otp_login(request, device)
    request.session.cycle_key()
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: the 6-digit code from the person's authenticator app."""
    user: Any = request.user
    next_url = safe_next(request)
    if not user.is_authenticated:
        return redirect(_with_next(reverse("staff:sign-in"), next_url))
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        if user.role in settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES:
            return redirect(_with_next(reverse("staff:two-factor-setup"), next_url))
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if not needs_second_factor(request):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SecurityCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = next((d for d in devices if verify_token(user, d.persistent_id, code)), None)
        if device is not None:
            return _second_factor_passed(request, device, next_url)
        record_event(EventType.TWO_FACTOR_FAILED, request=request, obj=user)
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "core/auth/two_factor.html",
        {"form": form, "next": next_url, "has_backup_codes": backup_codes_left(user) > 0},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def backup_code(request: HttpRequest) -> HttpResponse:
    """The second step with a one-time backup code, for someone without their authenticator app."""
    user: Any = request.user
    next_url = safe_next(request)
    if not user.is_authenticated:
        return redirect(_with_next(reverse("staff:sign-in"), next_url))
    if not needs_second_factor(request):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = BackupCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = use_backup_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            left = device.token_set.count()
            if left <= 3:
                messages.warning(
                    request,
                    f"You have {left} backup code{'s' if left != 1 else ''} left. "
                    "Get new backup codes on your account page.",
                )
            return _second_factor_passed(request, device, next_url)
        record_event(EventType.TWO_FACTOR_FAILED, request=request, obj=user, detail={"method": "backup code"})
        form.add_error("code", WRONG_BACKUP_CODE)
    return render(request, "core/auth/backup_code.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # the user_logged_out signal writes SIGN_OUT to the event log
    return redirect(settings.LOGOUT_REDIRECT_URL)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link emailed to a new member of staff (or after a reset): choose a password."""

    template_name = "core/auth/set_password.html"
    success_url = reverse_lazy("staff:password-reset-complete")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "core/auth/set_password_done.html"
