"""What falls due in the Panel's work, for "Your work" (joinedup.core.due): the Commissioner's responses to
the Panel's recommendations, for whoever records them. The kind keeps the key it had under csp
(`csp.panel_response`), so people's notification choices still apply."""

from __future__ import annotations

from django.urls import reverse

from joinedup.core.due import DueItem, Rows, Window, register_rows
from joinedup.core.models import User

from .models import PanelRecommendation
from .selectors import list_panel_recommendations


@register_rows(
    "csp.panel_response",
    "Responses to Panel recommendations",
    due_field="response_due",
    permission="csp.panel.respond",
    same_for_group=True,
)
def panel_responses(user: User, when: Window) -> Rows | None:
    responder = PanelRecommendation.objects.restrict(user, "csp.panel.respond").values("pk")
    recommendations = list_panel_recommendations(user=user).filter(
        pk__in=responder,
        response_due__isnull=False,
        response_on__isnull=True,
        response_due__lte=when.until,
    )

    def item(recommendation: PanelRecommendation) -> DueItem:
        assert recommendation.response_due is not None
        return DueItem(
            title=f"Commissioner's response: {recommendation.title}",
            why="The Police and Crime Panel asked for the Commissioner's response",
            due=recommendation.response_due,
            url=reverse("scrutiny:panel-detail", args=[recommendation.pk]),
            uid=f"panel-recommendation-{recommendation.pk}",
        )

    return recommendations, item
