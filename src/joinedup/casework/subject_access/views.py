"""Subject access pages: find the person, then read or download everything held about them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.views.base import staff_view

from . import selectors


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.GET.getlist("person") if v.isdigit()]


@staff_view("casework.subject_access")
def search(request: HttpRequest) -> HttpResponse:
    """The search is a POST: a name, date of birth, phone or email never travels in a URL, so it is never in
    an access log, a browser's history or a referrer (ADR 0012)."""
    source = request.POST if request.method == "POST" else {}
    fields = {k: (source.get(k) or "").strip() for k in ("name", "date_of_birth", "phone", "email")}
    errors: list[str] = []
    dob: date | None = None
    if fields["date_of_birth"]:
        try:
            dob = date.fromisoformat(fields["date_of_birth"])
        except ValueError:
            errors.append("Enter the date of birth as YYYY-MM-DD.")
    searched = any(fields.values())
    people: Any = []
    if searched and not errors:
        people = selectors.find_people(
            user=request.user,
            name=fields["name"],
            date_of_birth=dob,
            phone=fields["phone"],
            email=fields["email"],
            request=request,
        )
    return render(
        request,
        "casework/subject_access_search.html",
        {"fields": fields, "people": people, "searched": searched, "errors": errors},
    )


@staff_view("casework.subject_access")
def report(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.GET.get("format") == "json" else "html"
    if not _ids(request):
        return redirect("casework:subject-access")
    data = selectors.subject_access_report(
        user=request.user, person_ids=_ids(request), request=request, fmt=fmt
    )
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
        return response
    return render(request, "casework/subject_access_report.html", {"report": data, "ids": _ids(request)})
