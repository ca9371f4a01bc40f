from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "joinedup.notifications"
    label = "notifications"
    verbose_name = "Email, notifications and the scheduler"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("Notifications", "notifications:list", "notifications.view")
