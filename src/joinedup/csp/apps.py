from django.apps import AppConfig


class CspConfig(AppConfig):
    name = "joinedup.csp"
    label = "csp"
    verbose_name = "CSP duties"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        group = "CSPs and Panel"
        register_navigation("CSP duties", "csp:grid", "csp.view", group=group)
        register_navigation("Briefing notes", "csp:briefing-list", "csp.briefing.view", group=group)
        # The Police and Crime Panel's own entries are joinedup.scrutiny's (it follows csp in INSTALLED_APPS).
