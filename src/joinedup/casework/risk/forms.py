"""Forms for the Risk Assessment Matrix and Joint Problem Solving plans."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.models import Organisation, User
from joinedup.core.roles import Role

from ..forms import ActionForm, ServiceErrorsMixin, _helper
from ..models import RiskQuestion


class RiskAssessmentForm(ServiceErrorsMixin, forms.Form):
    """One radio group per active question; the service scores it."""

    notes = text_field("Notes")

    def __init__(self, *args: Any, questions: list[RiskQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.questions = questions
        fields: dict[str, forms.Field] = {}
        for question in questions:
            fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(str(o.pk), f"{o.text} ({o.score})") for o in question.options.all()],
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields = {**fields, "notes": self.fields["notes"]}

    def service_data(self) -> dict[str, Any]:
        answers = {
            str(q.pk): self.cleaned_data.get(f"question_{q.pk}")
            for q in self.questions
            if self.cleaned_data.get(f"question_{q.pk}")
        }
        return {"answers": answers, "notes": self.cleaned_data.get("notes", "")}


class RiskSettingsForm(ServiceErrorsMixin, forms.Form):
    medium_threshold = forms.IntegerField(label="Medium risk from a score of", required=False)
    high_threshold = forms.IntegerField(label="High risk from a score of", required=False)
    high_review_days = forms.IntegerField(label="Review high-risk cases every (days)", required=False)
    medium_review_days = forms.IntegerField(label="Review medium-risk cases every (days)", required=False)
    standard_review_days = forms.IntegerField(
        label="Review standard-risk cases every (days)", required=False, help_text="Leave empty for no review"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RiskQuestionForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label="Question", max_length=300, required=False)
    help_text = forms.CharField(label="Hint (optional)", max_length=300, required=False)
    options = text_field(
        "Answers and scores", 4, help_text="One answer a line, then a bar and its score, for example: Yes | 4"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PlanForm(ServiceErrorsMixin, forms.Form):
    objective = text_field("What the partners are trying to achieve")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organisation.name if obj.organisation_id else 'no organisation'})"


class PlanActionForm(ActionForm):
    """An action on the plan; the agencies offered are only those that may see the case (ADR 0012)."""

    agencies_hint = ""
    field_order = ["owner_organisation", "officer"]
    owner_organisation = forms.ModelChoiceField(
        label="Agency", queryset=Organisation.objects.order_by("name"), required=False
    )
    officer = OfficerChoiceField(
        label="Officer",
        queryset=User.objects.filter(is_active=True, role=Role.PRACTITIONER)
        .select_related("organisation")
        .order_by("full_name"),
        required=False,
        help_text="Someone who works for the agency",
    )


class PlanReviewForm(ServiceErrorsMixin, forms.Form):
    held_on = date_field("Held on", help_text="Empty for today.")
    attendees = text_field("Attendees", 2)
    notes = text_field("Findings and decisions", 4)
    next_review = date_field("Next review", help_text="Empty for a month after this one.")
    close_plan = forms.BooleanField(label="Close the plan (only when it is green)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
