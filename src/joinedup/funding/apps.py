"""Funding and commissioning: funds, allocations, grant rounds, awards and open data."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "joinedup.funding"
    label = "funding"

    def ready(self) -> None:
        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)
        from .selectors import scores_grants

        group = "Funding"
        register_navigation("Funds", "funding:fund-list", "funding.view", group=group)
        register_navigation("Awards", "funding:award-list", "funding.view", group=group)
        register_navigation("Spend reports", "funding:reports", "funding.reports.view", group=group)
        register_navigation("Contracts", "funding:contract-list", "funding.view", group=group)
        register_navigation("Boards", "funding:board-list", "funding.view", group=group)
        register_navigation("Frameworks", "funding:framework-list", "funding.view", group=group)
        register_navigation("Suppliers", "funding:supplier-list", "funding.view", group=group)
        # Only people who score (assigned to an application) and the OPCC, who runs the panels, see it.
        register_navigation(
            "Grant scoring", "funding:panel-list", "funding.score", group=group, show=scores_grants
        )
