from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"
    verbose_name = "Joined Up core"

    def ready(self) -> None:
        from . import rules, signals  # noqa: F401  (registers permission rules and audit signal handlers)
        from .permissions import scope_form_choices

        scope_form_choices()
