from django import forms

from .models import NotificationPreference


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["immediate_email", "daily_digest"]
        help_texts = {
            "immediate_email": "A new high-risk case for your agency, an action assigned to you or your organisation.",
            "daily_digest": "What is due and overdue for you, each morning, when there is something.",
        }
