from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    """The Police and Crime Panel: its recommendations, comments, members, work programme and meetings."""

    name = "joinedup.scrutiny"
    label = "scrutiny"
    verbose_name = "Police and Crime Panel scrutiny"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation
        from joinedup.core.views.dashboard import register_dashboard_link

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation(
            "Police and Crime Panel", "scrutiny:panel-workspace", "csp.panel.view", group="CSPs and Panel"
        )
        # The Panel's own work, one click from its home page.
        register_dashboard_link("The Panel's workspace", "scrutiny:panel-workspace", "csp.panel.manage")
        register_dashboard_link(
            "Record a recommendation to the PCC", "scrutiny:panel-create", "csp.panel.recommend"
        )
        register_dashboard_link("Briefing notes from the CSPs", "csp:briefing-list", "csp.panel.manage")
        register_dashboard_link(
            "Casework KPIs by CSP (small counts suppressed)", "scrutiny:panel-kpis", "csp.panel.manage"
        )
