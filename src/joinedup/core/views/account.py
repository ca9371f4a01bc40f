"""Your own account: who you are here, two-factor sign-in and your API tokens."""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.forms_auth import WRONG_CODE, SecurityCodeForm, TokenForm
from joinedup.core.models.tokens import ApiToken
from joinedup.core.permissions import has_permission
from joinedup.core.roles import ROLE_DESCRIPTIONS
from joinedup.core.services.people import confirm_totp_device, has_two_factor, pending_totp_device
from joinedup.core.services.sign_in import backup_codes_left, create_backup_codes
from joinedup.core.services.tokens import create_token, revoke_token
from joinedup.core.views.auth import safe_next
from joinedup.core.views.base import deny, staff_view

View = Callable[..., HttpResponse]


@staff_view("account.manage")
def account(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "core/account/account.html",
        {
            "person": user,
            "role_description": ROLE_DESCRIPTIONS.get(user.role, ""),
            "two_factor_on": has_two_factor(user),
            "two_factor_required": user.role in settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES,
            "backup_codes_left": backup_codes_left(user),
            "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        },
    )


def _setup_view(view: View) -> View:
    """Like staff_view("account.manage"), except that someone who must set up two-factor sign-in and has
    no authenticator app yet may reach this page after their password (otherwise they could never start)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if has_two_factor(user) and not user.is_verified():
            return redirect("staff:two-factor")
        if not has_permission(user, "account.manage"):
            raise deny(request, "account.manage")
        return view(request, *args, **kwargs)

    wrapper.permission_action = "account.manage"  # type: ignore[attr-defined]
    return wrapper


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: address for an <img>, so the page's Content-Security-Policy still holds."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@_setup_view
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    device: TOTPDevice = pending_totp_device(user=user)
    form = SecurityCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if confirm_totp_device(user=user, device=device, code=form.cleaned_data["code"]):
            from django_otp import login as otp_login

            otp_login(request, device)
            request.session.cycle_key()
            # New backup codes with every new app (the old ones may have been kept with the lost phone).
            return _show_backup_codes(
                request,
                create_backup_codes(user=user),
                "Two-factor sign-in is set up. You will need a code each time you sign in.",
            )
        form.add_error("code", WRONG_CODE)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "core/account/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": _grouped(secret),
            "replacing": has_two_factor(user),
            "next": safe_next(request),
        },
    )


def _show_backup_codes(request: HttpRequest, codes: list[str], heading: str) -> HttpResponse:
    """The codes, once: this response is the only place they appear, and it is never cached."""
    response = render(
        request,
        "core/account/backup_codes.html",
        {"codes": codes, "heading": heading, "next": safe_next(request)},
    )
    add_never_cache_headers(response)
    return response


@require_POST
@staff_view("account.manage")
def backup_codes_create(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working); only once two-factor sign-in is on."""
    if not has_two_factor(request.user):
        messages.error(request, "Set up two-factor sign-in first: backup codes come with it.")
        return redirect("staff:account")
    return _show_backup_codes(
        request, create_backup_codes(user=request.user), "Your new backup codes. The old ones no longer work."
    )


@staff_view("account.manage")
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, raw = create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            actor=request.user,
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
        response = render(request, "core/account/token_created.html", {"token": token, "raw": raw})
        add_never_cache_headers(response)
        return response
    return render(request, "core/account/token_form.html", {"form": form})


@require_POST
@staff_view("account.manage")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    token = ApiToken.objects.filter(user=user, pk=pk).select_related("user").first()
    if token is None:
        raise deny(request, "account.manage")
    revoke_token(token=token, actor=request.user)
    messages.success(request, f"The token '{token.name}' has been revoked. It can no longer be used.")
    return redirect("staff:account")
