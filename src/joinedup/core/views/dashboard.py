"""The staff home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.views.base import staff_view


@staff_view("dashboard.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {})
