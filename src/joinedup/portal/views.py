"""The public site: no sign-in."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
