"""Funding and commissioning: funds, allocations, grant rounds, awards and open data."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "joinedup.funding"
    label = "funding"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)

        register_navigation("Funding", "funding:fund-list", "funding.view")
        register_navigation("Grant scoring", "funding:panel-list", "funding.score")
