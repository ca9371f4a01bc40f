from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "joinedup.casework"
    label = "casework"
    verbose_name = "ASB casework"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("Cases", "casework:case-list", "casework.cases.view", group="Casework")
        register_navigation("Tasking board", "casework:tasking", "casework.cases.view", group="Casework")
        register_navigation("Casework KPIs", "casework:kpis", "casework.statistics", group="Casework")
