"""Notification pages: thin; writes go through notify.py's services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.lists import list_view
from joinedup.core.views.base import staff_view

from . import lists
from .forms import PreferencesForm
from .notify import mark_read, save_preferences
from .preferences import preference_for
from .selectors import latest_runs, outbox, scheduler_last_seen

notification_list = list_view(lists.NOTIFICATIONS)


@require_POST
@staff_view("notifications.view")
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    count = mark_read(user=request.user, ids=ids or None)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@staff_view("notifications.view")
def preferences(request: HttpRequest) -> HttpResponse:
    current = preference_for(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_preferences(
            user=request.user,
            immediate_email=form.cleaned_data["immediate_email"],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        messages.success(request, "Your email choices have been saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@staff_view("notifications.scheduler")
def scheduler_page(request: HttpRequest) -> HttpResponse:
    from .scheduler import TIMETABLE

    runs = {run.job: run for run in latest_runs()}
    jobs = [{"job": job, "run": runs.get(job.name)} for job in TIMETABLE]
    return render(
        request,
        "notifications/scheduler.html",
        {
            "jobs": jobs,
            "last_seen": scheduler_last_seen(),
            "failed_email": outbox(status="failed")[:50],
            "queued_count": outbox(status="queued").count(),
        },
    )
