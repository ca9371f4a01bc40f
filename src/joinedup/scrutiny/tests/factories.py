"""Records of the Police and Crime Panel for tests."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.models import Area
from joinedup.scrutiny.models import PanelRecommendation


def make_panel_recommendation(*, force_area: Area, **kwargs: Any) -> PanelRecommendation:
    kwargs.setdefault("title", "Have regard to CSP priorities")
    kwargs.setdefault("recommendation", "Show how each CSP's priorities shaped the Police and Crime Plan.")
    kwargs.setdefault("made_on", datetime.date.today() - datetime.timedelta(days=5))
    return PanelRecommendation.objects.create(force_area=force_area, **kwargs)
