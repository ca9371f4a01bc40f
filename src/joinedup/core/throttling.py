"""Who is asking (the client's address) and how often they may fail or ask: sign-in lockout and rate limits.

Sign-in lockout (django-axes, docs/adr/0016):

- an (account, address) pair is locked after `AXES_FAILURE_LIMIT` failures (5), so a stranger guessing an
  administrator's password locks only themselves out, never the administrator at their own desk;
- an address is locked after `JOINEDUP_ADDRESS_FAILURE_LIMIT` failures across any accounts (20), so
  spraying one password over many accounts from one address stops quickly;
- both for `AXES_COOLOFF_TIME` (15 minutes) after the last failure; a successful sign-in clears the
  failures of its own pair only (clearing the whole address would let a sprayer with one real account
  wipe its own count).

Staff sign in through Django's `authenticate` (axes watches it); grant applicants are not Django users, so
their sign-in calls `check_sign_in_allowed` / `record_sign_in_failure` / `record_sign_in_success` here with
an account name of their own namespace ("applicant:EMAIL").

The client's address is REMOTE_ADDR, or, behind `JOINEDUP_TRUSTED_PROXIES` reverse proxies, the address
the outermost trusted proxy saw (counted from the right of X-Forwarded-For, which a client cannot forge
past its own proxy). IPv6 addresses are counted per /64 network for throttling, since one household or
server usually holds a whole /64.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

# --- the client's address ------------------------------------------------------------------------------


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: Any) -> str | None:
    """The address of the client that sent `request`, as far as this deployment can trust it."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "JOINEDUP_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Each trusted proxy appends the address it received from; the one `proxies` from the right is what
    # the outermost trusted proxy saw. Anything further left was written by the client and is ignored.
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote


def throttle_address(request: Any) -> str | None:
    """The address failures and requests are counted against: IPv6 by its /64 network (AXES_CLIENT_IP_CALLABLE)."""
    address = client_address(request)
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return address


# --- sign-in lockout (django-axes) ---------------------------------------------------------------------


def address_failure_limit() -> int:
    return int(getattr(settings, "JOINEDUP_ADDRESS_FAILURE_LIMIT", 20))


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a different limit for each lockout parameter.

    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]: axes counts the failures of
    the pair and of the address; the pair is compared with AXES_FAILURE_LIMIT and the address with
    JOINEDUP_ADDRESS_FAILURE_LIMIT (axes itself has one limit for all)."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        pair_attempts, address_attempts = self.get_user_attempts(request, credentials)
        pair = _failures(pair_attempts)
        if _failures(address_attempts) >= address_failure_limit():
            request.joinedup_lockout_scope = "this address, for every account"
            return max(pair, int(settings.AXES_FAILURE_LIMIT))
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful sign-in: clear this account's failures from this address only."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return count


def _failures(attempts: Any) -> int:
    from django.db.models import Sum

    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def lockout_minutes() -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


# Sign-in for accounts that are not Django users (grant applicants) goes through the same counts.


def _credentials(account: str) -> dict[str, str]:
    return {settings.AXES_USERNAME_FORM_FIELD: account[:255]}


def check_sign_in_allowed(request: HttpRequest, account: str) -> bool:
    """False while `account` may not try to sign in from this client (pair or address locked)."""
    return bool(AxesProxyHandler.is_allowed(request, _credentials(account)))


def record_sign_in_failure(request: HttpRequest, account: str) -> bool:
    """Count a failed attempt; True if it (or an earlier one) has now locked this client out.

    axes marks the request as locked out for its middleware, which would answer with the staff
    sign-in page; the caller answers instead, so the mark is taken off again."""
    AxesProxyHandler.user_login_failed(sender=None, credentials=_credentials(account), request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return locked or not check_sign_in_allowed(request, account)


def record_sign_in_success(request: HttpRequest, account: str) -> None:
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(account))


def clear_sign_in_failures(account: str) -> int:
    """Forget every failed attempt on `account`, from any address (an administrator unlocking it, or the
    owner proving control of the email address with a reset link)."""
    count, _ = AccessAttempt.objects.filter(username=account[:255]).delete()
    return count


def failed_sign_ins(account: str) -> int:
    """Failed attempts on `account` still counting towards a lockout, from every address."""
    from axes.helpers import get_cool_off
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(username=account[:255])
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return _failures(attempts)


# --- a honeypot for public forms (includes/honeypot.html) ---------------------------------------------

HONEYPOT_FIELD = "website"


def caught_by_honeypot(request: HttpRequest) -> bool:
    """True when the hidden field no person sees has been filled in (a script filled every input)."""
    return bool(request.POST.get(HONEYPOT_FIELD))


# --- rate limits on Django's cache (shared by every process: a database table) -------------------------


class RateLimit(SimpleRateThrottle):
    """A sliding-window limit of `rate` ("5/hour") on anything named by a key, e.g. reset emails to one
    address. django-ninja's throttle, used outside the API too; its history lives in Django's cache."""

    def __init__(self, scope: str, rate: str) -> None:
        self.scope = scope
        super().__init__(rate)

    def get_cache_key(self, request: HttpRequest) -> str | None:  # pragma: no cover - keyed calls only
        return None

    def allow(self, key: str) -> bool:
        self.key = f"joinedup-rate:{self.scope}:{key}"
        self.history = self.cache.get(self.key, [])
        self.now = time.time()
        while self.history and self.history[-1] <= self.now - self.duration:  # type: ignore[operator]
            self.history.pop()
        if len(self.history) >= self.num_requests:  # type: ignore[operator]
            return False
        return self.throttle_success()
