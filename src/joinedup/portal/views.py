"""The public site: no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer (core.health.HealthCheckMiddleware answers first; see there)."""
    from joinedup.core.health import healthz as alive

    return alive(request)
