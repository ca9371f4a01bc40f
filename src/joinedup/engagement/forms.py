"""Forms for consultations: the staff's consultation and question forms, and the public's response form
(built from the questions). The services check every answer; these forms only collect and show them."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from joinedup.core.form_fields import date_field, place_field, text_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import AreaLevel

from .models import SCALE_LABELS, Audience, Consultation, Question, QuestionKind


class ConsultationForm(ServiceForm):
    title = forms.CharField(max_length=200, required=False)
    summary = text_field(
        "What it is about",
        5,
        help_text="Shown to the public above the questions: why you are asking and what you will do with the answers.",
    )
    area = place_field("Force area or CSP", levels=(AreaLevel.PFA, AreaLevel.CSP))
    audience = forms.ChoiceField(
        label="Who answers it",
        choices=Audience.choices,
        initial=Audience.PUBLIC,
        widget=forms.RadioSelect,
        required=False,
    )
    opens_on = date_field("Opens on", help_text="For example, 4 1 2027")
    closes_on = date_field("Closes on", help_text="The last day responses are taken, for example 14 2 2027")
    published = forms.BooleanField(label="Show on the public site (from the opening date)", required=False)
    results_published = forms.BooleanField(label="Publish the results", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or Audience.PUBLIC

    @staticmethod
    def initial_from(consultation: Consultation) -> dict[str, Any]:
        return {
            "title": consultation.title,
            "summary": consultation.summary,
            "area": consultation.area.code,
            "audience": consultation.audience,
            "opens_on": consultation.opens_on.isoformat(),
            "closes_on": consultation.closes_on.isoformat(),
            "published": consultation.published,
            "results_published": consultation.results_published,
            "version": consultation.version,
        }


class QuestionForm(ServiceForm):
    text = forms.CharField(label="Question", max_length=300, required=False)
    help_text = forms.CharField(label="Hint (optional)", max_length=300, required=False)
    kind = forms.ChoiceField(
        label="Kind of answer", choices=QuestionKind.choices, widget=forms.RadioSelect, required=False
    )
    options = text_field("Choices (for choose-one and choose-any questions)", 5, help_text="One a line.")
    required = forms.BooleanField(label="People must answer it", required=False)

    @staticmethod
    def initial_from(question: Question) -> dict[str, Any]:
        return {
            "text": question.text,
            "help_text": question.help_text,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "required": question.required,
        }


class Radios(forms.ChoiceField):
    """One of several answers, shown as GOV.UK radios. A choice field, not a text field with a radio
    widget: the radios are drawn from the field's choices, and a text field has none (the public pages
    showed the question with no options to choose). What is posted is checked by the saving service,
    which lists every problem at once in its own words, so the field accepts any value."""

    def valid_value(self, value: Any) -> bool:
        return True


class ResponseForm(forms.Form):
    """One field per question, named q<id>, plus the optional contact details."""

    def __init__(self, *args: Any, questions: list[Question], contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        for question in questions:
            label = (
                question.text
                if question.required
                else gettext("%(question)s (optional)") % {"question": question.text}
            )
            common: dict[str, Any] = {"label": label, "help_text": question.help_text, "required": False}
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SINGLE:
                choices = [(o, o) for o in question.options]
                self.fields[name] = Radios(choices=choices, widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.MULTIPLE:
                choices = [(o, o) for o in question.options]
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            elif question.kind == QuestionKind.SCALE:
                choices = [(str(v), str(text)) for v, text in SCALE_LABELS.items()]
                self.fields[name] = Radios(choices=choices, widget=forms.RadioSelect, **common)
            else:
                self.fields[name] = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        if not contact:
            return
        self.fields["contact_consent"] = forms.BooleanField(
            label=_("You may contact me about my answers"), required=False
        )
        self.fields["contact_name"] = forms.CharField(
            label=_("Your name (only if you want to be contacted)"), max_length=150, required=False
        )
        self.fields["contact_email"] = forms.CharField(
            label=_("Your email address (only if you want to be contacted)"),
            max_length=254,
            required=False,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for name, problems in message_dict.items():
            for message in problems:
                self.add_error(name if name in self.fields else None, message)


class MeetingForm(ServiceForm):
    title = forms.CharField(
        max_length=200, required=False, help_text="For example: Heaton neighbourhood meeting, March"
    )
    area = place_field("Area", levels=(AreaLevel.CSP, AreaLevel.LAD, AreaLevel.LSOA))
    held_on = date_field("Meeting date", help_text="For example, 12 3 2027")
    place = forms.CharField(label="Where", max_length=300, required=False)
    voting_closes_on = date_field("Online voting closes on", help_text="The last day people can vote online.")
    minutes = text_field("Minutes (optional)", 5)
    published = forms.BooleanField(label="Show on the public site", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_from(meeting: Any) -> dict[str, Any]:
        return {
            "title": meeting.title,
            "area": meeting.area.code,
            "held_on": meeting.held_on.isoformat(),
            "place": meeting.place,
            "voting_closes_on": meeting.voting_closes_on.isoformat(),
            "minutes": meeting.minutes,
            "published": meeting.published,
            "version": meeting.version,
        }


class PriorityForm(ServiceForm):
    submit_label = "Add the priority"
    title = forms.CharField(label="Priority", max_length=200, required=False)
    description = forms.CharField(label="More detail (optional)", required=False)


class VoteForm(forms.Form):
    email = forms.CharField(
        label=_("Your email address"),
        help_text=_("We send you a link to confirm your vote. We do not keep your address."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, priorities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        field = Radios(
            label=gettext("Which should be the neighbourhood’s priority?"),
            choices=[(str(p.pk), p.title) for p in priorities],
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields = {"priority": field, "email": self.fields["email"]}

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for name, problems in message_dict.items():
            for message in problems:
                self.add_error(name if name in self.fields else None, message)
