"""Bearer-token authentication and rate limits for /api/v1: `Authorization: Bearer ju_...`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from joinedup.core.services.tokens import find_token
from joinedup.core.throttling import throttle_address

READ_ONLY_MESSAGE = (
    "This API token may only read (its scope is 'read'): GET, HEAD and OPTIONS. "
    "Create a read-and-write token on your account page to change data."
)


class BearerToken(HttpBearer):
    """A personal API token (see `joinedup tokens create`). The request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = find_token(token.strip())
        if api_token is None:
            return None
        if not api_token.allows_method(request.method or ""):
            raise HttpError(403, READ_ONLY_MESSAGE)
        # Services, selectors, the audit log and field history all read the actor from request.user.
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class _SettingsRate(SimpleRateThrottle):
    """A django-ninja throttle whose rate is read from settings on each request (so it can be changed
    without restarting, and tests can set it). History is kept in Django's cache, shared by every process."""

    setting = ""

    def __init__(self) -> None:
        super().__init__(self._rate())

    def _rate(self) -> str:
        return str(getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        rate = self._rate()
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class TokenRateThrottle(_SettingsRate):
    """JOINEDUP_API_RATE requests per token: each token has its own allowance, whoever owns it."""

    scope = "api-token"
    setting = "JOINEDUP_API_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AnonymousRateThrottle(_SettingsRate):
    """JOINEDUP_API_ANONYMOUS_RATE requests per client address for the operations open without a token."""

    scope = "api-anonymous"
    setting = "JOINEDUP_API_ANONYMOUS_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "api_token", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": throttle_address(request) or "unknown"}
