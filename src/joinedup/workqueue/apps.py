from django.apps import AppConfig


class WorkqueueConfig(AppConfig):
    name = "joinedup.workqueue"
    label = "workqueue"
    verbose_name = "Your work"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import rules  # noqa: F401  (registers this app's permission rules)

        # Each app contributes what falls due in its own `<app>/due.py` (see joinedup.core.due).
        autodiscover_modules("due")
