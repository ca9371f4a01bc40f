"""The one way a public form (no sign-in) is taken: the honeypot, every problem at once, a limit per address
that counts only what would be saved (so correcting mistakes never locks anyone out), then the save.
See docs/adr/0030."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from joinedup.core.throttling import RateLimit, caught_by_honeypot, throttle_address

REFUSED = "We could not accept this form. Check your answers and send it again."


def take_public_form(
    request: HttpRequest,
    form: Any,
    *,
    problems: Callable[[Mapping[str, Any]], Mapping[str, list[str]]],
    save: Callable[[Mapping[str, Any]], HttpResponse],
    limit: RateLimit,
    limited: Callable[[], HttpResponse],
    data: Mapping[str, Any] | None = None,
    refused: str = REFUSED,
) -> HttpResponse | None:
    """A POSTed public form: the response to send (the saved answer's page, or 429 over the limit), or None
    when the form now carries every problem and should be shown again (with status 400). `data` is what the
    service checks (the form's cleaned data unless given); `problems(data)` lists what is wrong by field.
    A ValidationError from `save` (a rule `problems` did not foresee) undoes whatever the save wrote and
    puts its messages on the form, so the form is shown again rather than failing."""
    form.is_valid()
    if caught_by_honeypot(request):
        form.add_error(None, refused)
        return None
    answers = form.cleaned_data if data is None else data
    found = problems(answers)
    if data is None:
        # A field the form refused is missing from its cleaned data: the form's own message stands.
        found = {field: messages for field, messages in found.items() if field not in form.errors}
    form.add_service_errors(dict(found))
    if form.errors:
        return None
    if not limit.allow(throttle_address(request) or "unknown"):
        return limited()
    try:
        with transaction.atomic():
            return save(answers)
    except ValidationError as exc:
        form.add_service_errors(_by_field(exc))
        return None


def _by_field(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return dict(exc.message_dict)
    return {NON_FIELD_ERRORS: list(exc.messages)}


def keep_link_private(response: HttpResponse) -> HttpResponse:
    """For a page whose address is its reader's secret (an emailed link): never indexed, and the address is
    never sent to another site as the referrer. Only to other sites: "no-referrer" would make browsers send
    `Origin: null` with the page's own forms (its button, the language switch), which CSRF protection
    rightly refuses, so no one could use them."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response
