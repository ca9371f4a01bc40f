from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "joinedup.insight"
    label = "insight"
    verbose_name = "Crime and ASB insight"

    def ready(self) -> None:
        import joinedup.insight.rules  # noqa: F401  (registers permission rules)
        from joinedup.core.context_processors import register_navigation

        group = "Crime insight"
        register_navigation("Assess an area", "insight:assessment", "insight.assess", group=group)
        register_navigation(
            "Saved assessments", "insight:saved-list", "insight.assessments.view", group=group
        )
        register_navigation("Police data imports", "insight:import-list", "insight.imports.view", group=group)
