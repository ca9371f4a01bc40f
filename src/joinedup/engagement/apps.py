from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "joinedup.engagement"
    label = "engagement"
    verbose_name = "Community engagement: consultations and surveys"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("Consultations", "engagement:list", "engagement.view", group="Partnerships")
