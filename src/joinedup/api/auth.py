"""Bearer-token authentication for /api/v1: `Authorization: Bearer ju_...`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from joinedup.api.services import authenticate_token


class BearerToken(HttpBearer):
    """A personal API token (see `joinedup tokens create`). The request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token.strip())
        if user is None:
            return None
        # Services, selectors, the audit log and field history all read the actor from request.user.
        request.user = user
        return user
