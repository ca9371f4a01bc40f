"""The one way a staff page checks who may see it (`staff_view`: sign-in, second factor where required,
then a rule) and the one way an API operation does (`api_require`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from joinedup.core.audit import record_event
from joinedup.core.models import EventType, User
from joinedup.core.permissions import get_rule, has_permission, restrict

View = Callable[..., HttpResponseBase]
M = TypeVar("M", bound=Model)


def deny(request: HttpRequest, action: str, *, obj: Any = None) -> Http404:
    """Log the refusal and answer as if the page did not exist. The event names the record by type and id,
    not by its name: the person was refused it, and the auditors of their force need not read it either
    (it may be another force's record)."""
    record_event(EventType.PERMISSION_DENIED, request=request, **_refused(obj), detail={"action": action})
    return Http404("Page not found")


def _refused(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    return {"object_type": obj._meta.label_lower, "object_id": obj.pk}


def api_require(request: HttpRequest, action: str, obj: Any = None, *, status: int = 404) -> None:
    """The one permission check of an API operation, as `staff_view` is a page's: the token holder may
    `action` (on `obj`), or the refusal is audited and the operation answers 404, as if the record did not
    exist — or 403 (`status=403`) where it creates something and there is nothing to hide."""
    if not has_permission(request.user, action, obj):
        raise api_refusal(request, action, obj=obj, status=status)


def api_refusal(request: HttpRequest, action: str, *, obj: Any = None, status: int = 404) -> Exception:
    """An API operation's refusal when the record is missing or out of reach: audited, 404 (or 403)."""
    if status == 403:
        record_event(EventType.PERMISSION_DENIED, request=request, **_refused(obj), detail={"action": action})
        return PermissionDenied()
    return deny(request, action, obj=obj)


def needs_second_factor(request: HttpRequest) -> bool:
    """True while a signed-in person still owes a second factor: they have set up an authenticator app,
    or their role requires one, and this session has not been verified with a code. The two-factor page
    (staff:two-factor) sends someone whose role requires it but who has no app yet to set one up."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    if callable(is_verified) and is_verified():
        return False
    required = user.role in settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES
    return required or user.totpdevice_set.filter(confirmed=True).exists()


def staff_view(action: str) -> Callable[[View], View]:
    """Require a signed-in staff member allowed `action`; otherwise sign-in or 404."""
    get_rule(action)  # fail at import time for an unknown action

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(request):
                return redirect("staff:two-factor")
            if not has_permission(user, action):
                raise deny(request, action)
            return view(request, *args, **kwargs)

        wrapper.permission_action = action  # type: ignore[attr-defined]
        return wrapper

    return decorator


def staff_user(request: HttpRequest) -> User:
    """The signed-in person behind a request that `staff_view` (or an API operation's authentication) has
    already let through, typed as a `User`: the one way a view hands `request.user` to a service or
    selector that takes an actor. An anonymous visitor here is a programming error, not a refusal."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign-in required")
    return user


def get_allowed_object(request: HttpRequest, queryset: QuerySet[M], action: str, **lookup: Any) -> M:
    """Fetch one record the user may `action`, or 404 whether it is missing or not allowed."""
    try:
        return restrict(queryset, request.user, action).get(**lookup)
    except ObjectDoesNotExist:
        raise deny(request, action) from None
