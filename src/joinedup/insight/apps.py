from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "joinedup.insight"
    label = "insight"
    verbose_name = "Crime and ASB insight"

    def ready(self) -> None:
        import joinedup.insight.rules  # noqa: F401  (registers permission rules)
        from joinedup.core.context_processors import register_navigation

        register_navigation("Crime insight", "insight:assessment", "insight.assess")
