"""Staff pages for consultations and surveys: list, create and change, questions, moderation, results and
the audited list of respondents who agreed to be contacted."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import save_form, save_versioned_form
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_view

from . import selectors, services
from .forms import ConsultationForm, QuestionForm
from .models import Consultation, Moderation


def _managed(request: HttpRequest, pk: int) -> Consultation:
    return selectors.get_consultation(request.user, pk, "engagement.manage")


@staff_view("engagement.view")
def consultation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/list.html",
        {
            "consultations": selectors.consultations(request.user),
            "can_create": has_permission(request.user, "engagement.manage"),
        },
    )


@staff_view("engagement.manage")
def consultation_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    saved, status = save_form(
        request,
        form,
        lambda f: services.save_consultation(actor=request.user, data=f.service_data()),
        "Consultation created. Add its questions, then publish it.",
    )
    if saved:
        return redirect("engagement:detail", pk=saved.pk)
    return render(
        request,
        "engagement/form.html",
        {"form": form, "title": "Start a consultation or survey", "back": "engagement:list"},
        status=status,
    )


@staff_view("engagement.view")
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    return render(
        request,
        "engagement/detail.html",
        {
            "consultation": consultation,
            "questions": selectors.questions(consultation),
            "counts": selectors.counts(consultation),
            "pending": selectors.pending_comments(consultation).count(),
            "can_manage": has_permission(request.user, "engagement.manage", consultation),
        },
    )


@staff_view("engagement.manage")
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_from(consultation))
    saved, status = save_versioned_form(
        request, form, services.save_consultation, "Consultation saved.", consultation=consultation
    )
    if saved:
        return redirect("engagement:detail", pk=consultation.pk)
    return render(
        request,
        "engagement/form.html",
        {"form": form, "title": "Change the consultation", "consultation": consultation},
        status=status,
    )


@staff_view("engagement.manage")
def question_form(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    consultation = _managed(request, pk)
    question = None
    if question_pk is not None:
        question = consultation.questions.filter(pk=question_pk).first()
        if question is None:
            raise Http404("Not found")
    form = QuestionForm(
        request.POST or None, initial=QuestionForm.initial_from(question) if question else None
    )
    saved, status = save_form(
        request,
        form,
        lambda f: services.save_question(
            actor=request.user, consultation=consultation, data=f.service_data(), question=question
        ),
        "Question saved.",
    )
    if saved:
        return redirect("engagement:detail", pk=consultation.pk)
    return render(
        request,
        "engagement/form.html",
        {
            "form": form,
            "title": "Change the question" if question else "Add a question",
            "consultation": consultation,
        },
        status=status,
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
        decisions = {
            int(key.removeprefix("decision-")): str(value)
            for key, value in request.POST.items()
            if key.startswith("decision-") and key.removeprefix("decision-").isdigit()
        }
        try:
            changed = services.moderate(actor=request.user, consultation=consultation, decisions=decisions)
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
    total, found = selectors.results(consultation, all_comments=manages)
    return render(
        request,
        "engagement/results.html",
        {"consultation": consultation, "total": total, "results": found, "all_comments": manages},
    )


def _csv(consultation: Consultation) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}-results.csv"'
    writer = csv.writer(response)
    for row in selectors.results_rows(consultation):
        writer.writerow(["" if value is None else value for value in row])
    return response


@staff_view("engagement.view")
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _csv(selectors.get_consultation(request.user, pk))


@staff_view("engagement.contacts.view")
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _managed(request, pk)
    return render(
        request,
        "engagement/contacts.html",
        {"consultation": consultation, "people": selectors.contacts(request.user, consultation, request)},
    )
