"""Staff pages for consultations and surveys: list, create and change, questions, moderation, results and
the audited list of respondents who agreed to be contacted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.core.crime_types import CRIME_TYPES
from joinedup.core.exports import csv_response
from joinedup.core.forms import form_page, service_save
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_view

from . import lists, meetings, selectors, services
from .forms import ConsultationForm, MeetingForm, PriorityForm, QuestionForm, ResponseForm
from .models import Audience, Consultation, Moderation, QuestionKind


def _consultation_url(consultation: Consultation) -> str:
    return reverse("engagement:detail", args=[consultation.pk])


def _meeting_url(meeting: Any) -> str:
    return reverse("engagement:meeting-detail", args=[meeting.pk])


def _managed(request: HttpRequest, pk: int) -> Consultation:
    return selectors.get_consultation(request.user, pk, "engagement.manage")


def _numbered(request: HttpRequest, prefix: str) -> dict[int, str]:
    """The posted fields named prefix + an id (decision-12, paper-3), by id."""
    return {
        int(key.removeprefix(prefix)): str(value)
        for key, value in request.POST.items()
        if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
    }


def _form_page(
    request: HttpRequest, form: Any, save: Any, success: Any, *, done: Any, title: str, **context: Any
) -> HttpResponse:
    """A staff page that is one form, on engagement/form.html headed `title` (core.forms.form_page); the
    way back is `back_url`, else the consultation's page, else the list."""
    return form_page(
        request,
        form,
        save,
        success,
        done=done,
        template="engagement/form.html",
        context={"title": title, **context},
    )


consultation_list = list_view(lists.CONSULTATIONS)


@staff_view("engagement.manage")
def consultation_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        ConsultationForm(request.POST or None),
        service_save(request, services.save_consultation),
        "Consultation created. Add its questions, then publish it.",
        done=_consultation_url,
        title="Start a consultation or survey",
        back="engagement:list",
    )


def _choice_links(request: HttpRequest, questions: list[Any]) -> dict[int, dict[str, str]]:
    """The posted crime type of each choice (crime-<question id>-<choice number>), by question."""
    return {
        q.pk: {
            option: str(request.POST.get(f"crime-{q.pk}-{number}", ""))
            for number, option in enumerate(q.options, start=1)
        }
        for q in questions
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    }


@staff_view("engagement.view")
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    can_manage = has_permission(request.user, "engagement.manage", consultation)
    questions = selectors.questions(consultation)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404("Not found")
        try:
            if request.POST.get("step") == "next-year":
                following = services.start_next_year(actor=request.user, consultation=consultation)
                messages.success(request, "Next year's survey has been started with the same questions.")
                return redirect("engagement:detail", pk=following.pk)
            services.link_choice_crime_types(
                actor=request.user, consultation=consultation, links=_choice_links(request, questions)
            )
        except ValidationError as exc:
            problems = exc.messages
            status = 400
        else:
            messages.success(request, "The choices' crime types have been saved.")
            return redirect("engagement:detail", pk=consultation.pk)
    return render(
        request,
        "engagement/detail.html",
        {
            "consultation": consultation,
            "questions": questions,
            "counts": selectors.counts(consultation),
            "pending": selectors.pending_comments(consultation).count(),
            "can_manage": can_manage,
            "problems": problems,
            "crime_types": CRIME_TYPES,
            "is_partner_survey": consultation.audience == Audience.PARTNERS,
            "has_next_year": Consultation.objects.filter(previous=consultation).exists(),
            "choice_questions": [
                (q, [(n, o, q.option_crime_types.get(o, "")) for n, o in enumerate(q.options, start=1)])
                for q in questions
                if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            ],
        },
        status=status,
    )


@staff_view("engagement.manage")
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    return _form_page(
        request,
        ConsultationForm(request.POST or None, initial=ConsultationForm.initial_from(consultation)),
        service_save(request, services.save_consultation, versioned=True, consultation=consultation),
        "Consultation saved.",
        done=lambda _: _consultation_url(consultation),
        title="Change the consultation",
        consultation=consultation,
    )


@staff_view("engagement.manage")
def question_form(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    consultation = _managed(request, pk)
    question = None
    if question_pk is not None:
        question = consultation.questions.filter(pk=question_pk).first()
        if question is None:
            raise Http404("Not found")
    return _form_page(
        request,
        QuestionForm(request.POST or None, initial=QuestionForm.initial_from(question) if question else None),
        service_save(request, services.save_question, consultation=consultation, question=question),
        "Question saved.",
        done=lambda _: _consultation_url(consultation),
        title="Change the question" if question else "Add a question",
        consultation=consultation,
    )


@staff_view("engagement.manage")
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    question = consultation.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404("Not found")
    error = ""
    if request.method == "POST":
        try:
            services.delete_question(actor=request.user, question=question)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Question “{question.text}” removed.")
            return redirect("engagement:detail", pk=consultation.pk)
    return render(
        request,
        "engagement/confirm_delete.html",
        {"consultation": consultation, "question": question, "error": error},
        status=400 if error else 200,
    )


@staff_view("engagement.manage")
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    error = ""
    if request.method == "POST":
        try:
            changed = services.moderate(
                actor=request.user, consultation=consultation, decisions=_numbered(request, "decision-")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{changed} comment{'s' if changed != 1 else ''} moderated.")
            return redirect("engagement:moderation", pk=consultation.pk)
    return render(
        request,
        "engagement/moderation.html",
        {
            "consultation": consultation,
            "comments": selectors.pending_comments(consultation),
            "error": error,
            "choices": [(Moderation.APPROVED, "Publish"), (Moderation.REJECTED, "Do not publish")],
        },
        status=400 if error else 200,
    )


@staff_view("engagement.view")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    manages = has_permission(request.user, "engagement.manage", consultation)
    minimum = selectors.minimum_shown(consultation)
    total, found = selectors.results(consultation, all_comments=manages, minimum=minimum)
    return render(
        request,
        "engagement/results.html",
        {
            "consultation": consultation,
            "total": total,
            "results": found,
            "all_comments": manages,
            "minimum": minimum,
        },
    )


def _consultation_csv(
    request: HttpRequest, consultation: Any, name: str, table: list[Any]
) -> HttpResponseBase:
    """A consultation's `table` (a header row, then rows) as the CSV file `name`, the download audited
    against the consultation."""
    header, *rows = table
    return csv_response(
        request,
        name=name,
        header=header,
        rows=rows,
        object_type="engagement.consultation",
        filters={"consultation": consultation.pk},
    )


@staff_view("engagement.view")
def results_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = selectors.get_consultation(request.user, pk)
    name = f"consultation-{consultation.pk}-results"
    return _consultation_csv(request, consultation, name, selectors.results_rows(consultation))


@staff_view("engagement.view")
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_partner_survey(request.user, pk)
    previous, total, before_total, compared = selectors.compare_years(consultation)
    return render(
        request,
        "engagement/compare.html",
        {
            "consultation": consultation,
            "previous": previous,
            "total": total,
            "before_total": before_total,
            "compared": compared,
            "minimum": selectors.SUPPRESS_BELOW,
        },
    )


@staff_view("engagement.view")
def compare_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = selectors.get_partner_survey(request.user, pk)
    name = f"partner-survey-{consultation.pk}-year-on-year"
    return _consultation_csv(request, consultation, name, selectors.compare_rows(consultation))


@staff_view("engagement.survey.respond")
def partner_respond(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.answerable_survey(request.user, pk)
    questions = selectors.questions(survey)
    answered = selectors.has_answered(request.user, survey)
    posted = request.method == "POST" and not answered
    form = ResponseForm(request.POST if posted else None, questions=questions, contact=False)
    status = 200
    if posted and form.is_valid():
        data = {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
        try:
            services.respond_as_partner(actor=request.user, consultation=survey, data=data)
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
            status = 400
        else:
            messages.success(request, "Thank you: your answers have been recorded, without your name.")
            return redirect("engagement:partner-respond", pk=survey.pk)
    return render(
        request,
        "engagement/partner_respond.html",
        {"survey": survey, "form": form, "answered": answered, "is_open": survey.is_open()},
        status=status,
    )


# Personal data: read through the audited, restricted selector (engagement.lists.CONTACTS).
contacts = list_view(lists.CONTACTS)


# --- neighbourhood meetings ------------------------------------------------------------------------------


meeting_list = list_view(lists.MEETINGS)


@staff_view("engagement.manage")
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _form_page(
        request,
        MeetingForm(request.POST or None),
        service_save(request, meetings.save_meeting),
        "Meeting created. Add the priorities people can vote for, then publish it.",
        done=_meeting_url,
        title="Set up a neighbourhood meeting",
        back_url=reverse("engagement:meeting-list"),
    )


@staff_view("engagement.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.get_meeting(request.user, pk, "engagement.manage")
    return _form_page(
        request,
        MeetingForm(request.POST or None, initial=MeetingForm.initial_from(meeting)),
        service_save(request, meetings.save_meeting, versioned=True, meeting=meeting),
        "Meeting saved.",
        done=lambda _: _meeting_url(meeting),
        title="Change the meeting",
        back_url=_meeting_url(meeting),
    )


@staff_view("engagement.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.get_meeting(request.user, pk)
    can_manage = has_permission(request.user, "engagement.manage", meeting)
    form = PriorityForm(request.POST if request.POST.get("step") == "priority" else None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404("Not found")
        step = request.POST.get("step")
        try:
            if step == "priority":
                if form.is_valid():
                    meetings.add_priority(actor=request.user, meeting=meeting, data=form.service_data())
                    messages.success(request, "Priority added.")
                    return redirect("engagement:meeting-detail", pk=meeting.pk)
            elif step == "paper":
                meetings.record_paper_votes(
                    actor=request.user, meeting=meeting, counts=_numbered(request, "paper-")
                )
                messages.success(request, "Paper votes recorded.")
                return redirect("engagement:meeting-detail", pk=meeting.pk)
            elif step == "plan":
                chosen = meetings.choose_priorities(
                    actor=request.user, meeting=meeting, actions=_numbered(request, "action-")
                )
                messages.success(
                    request, f"Action plan published: {chosen} priorit{'y' if chosen == 1 else 'ies'}."
                )
                return redirect("engagement:meeting-detail", pk=meeting.pk)
            elif step == "crime-types":
                meetings.link_crime_types(
                    actor=request.user, meeting=meeting, links=_numbered(request, "crime-")
                )
                messages.success(request, "The priorities' crime types have been saved.")
                return redirect("engagement:meeting-detail", pk=meeting.pk)
            elif step == "update":
                priority = meeting.priorities.filter(pk=request.POST.get("priority") or 0).first()
                if priority is None:
                    raise Http404("Not found")
                meetings.add_update(actor=request.user, priority=priority, text=request.POST.get("text", ""))
                messages.success(request, "Update published.")
                return redirect("engagement:meeting-detail", pk=meeting.pk)
        except ValidationError as exc:
            if step == "priority":
                form.add_service_errors(exc.message_dict)
            else:
                problems = exc.messages
        status = 400
    return render(
        request,
        "engagement/meeting_detail.html",
        {
            "meeting": meeting,
            "tallies": meetings.tallies(meeting),
            "can_manage": can_manage,
            "form": form,
            "problems": problems,
            "voting_open": meeting.voting_open(),
            "crime_types": CRIME_TYPES,
        },
        status=status,
    )
