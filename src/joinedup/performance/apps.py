from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "joinedup.performance"
    label = "performance"
    verbose_name = "Performance: indicators and quarterly reports"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("Performance", "performance:index", "performance.view", group="Partnerships")
