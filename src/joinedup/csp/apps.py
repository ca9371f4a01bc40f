from django.apps import AppConfig


class CspConfig(AppConfig):
    name = "joinedup.csp"
    label = "csp"
    verbose_name = "CSP duties and scrutiny"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        group = "CSPs and Panel"
        register_navigation("CSP duties", "csp:grid", "csp.view", group=group)
        register_navigation("Briefing notes", "csp:briefing-list", "csp.briefing.view", group=group)
        register_navigation("Police and Crime Panel", "csp:panel-workspace", "csp.panel.view", group=group)
        from joinedup.core.views.dashboard import register_dashboard_link

        # The Panel's own work, one click from its home page.
        register_dashboard_link("The Panel's workspace", "csp:panel-workspace", "csp.panel.manage")
        register_dashboard_link(
            "Record a recommendation to the PCC", "csp:panel-create", "csp.panel.recommend"
        )
        register_dashboard_link("Briefing notes from the CSPs", "csp:briefing-list", "csp.panel.manage")
        register_dashboard_link(
            "Casework KPIs by CSP (small counts suppressed)", "csp:panel-kpis", "csp.panel.manage"
        )
