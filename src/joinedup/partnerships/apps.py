from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "joinedup.partnerships"
    label = "partnerships"
    verbose_name = "Partnership register"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers the partnership permission rules)

        # After Organisations; the link only shows once the URLs are mounted (NoReverseMatch is skipped).
        register_navigation("Partnerships", "partnerships:list", "partnerships.view", group="Partnerships")
