"""The form for a quarterly briefing note. They only collect input: the services check every rule."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Submit

from joinedup.core.form_fields import text_field
from joinedup.core.forms import VersionedForm


class BriefingNoteForm(VersionedForm):
    plan_progress = text_field("Partnership plan progress", 6)
    duty_compliance = text_field("Statutory duties", 6)
    crime_trend = text_field("Crime trend", 3)
    funded_projects = text_field("Funded projects", 4)
    manager_commentary = text_field("The CSP manager's commentary", 5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.inputs = []
        self.helper.add_input(Submit("save", "Save the draft"))
        self.helper.add_input(
            Submit("submit_note", "Submit to the Panel", css_class="govuk-button--secondary")
        )
