from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"
    verbose_name = "Joined Up core"

    def ready(self) -> None:
        # Registers permission rules, audit signal handlers and core's declared lists.
        from . import rules, signals, staff_lists  # noqa: F401
        from .permissions import scope_form_choices

        scope_form_choices()
