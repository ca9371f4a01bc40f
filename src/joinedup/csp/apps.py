from django.apps import AppConfig


class CspConfig(AppConfig):
    name = "joinedup.csp"
    label = "csp"
    verbose_name = "CSP duties and scrutiny"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("CSP duties", "csp:grid", "csp.view")
