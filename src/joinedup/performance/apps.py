from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "joinedup.performance"
    label = "performance"
    verbose_name = "Performance: indicators and quarterly reports"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete

        from joinedup.core.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers this app's permission rules)
        from .services import (
            kpi_removed,
            kpi_return_changed,
            monitoring_return_changed,
            outcome_measure_removed,
        )

        register_navigation("Performance", "performance:index", "performance.view", group="Partnerships")
        # Indicators read from contract KPIs and grant outcome measures are worked out again when their
        # returns change (docs/adr/0038). The senders are named, not imported: funding stays unaware.
        for signal, sender, receiver in (
            (post_save, "funding.PerformanceReturn", kpi_return_changed),
            (post_delete, "funding.PerformanceReturn", kpi_return_changed),
            (pre_delete, "funding.Kpi", kpi_removed),
            (post_save, "funding.MonitoringReturn", monitoring_return_changed),
            (pre_delete, "funding.OutcomeMeasure", outcome_measure_removed),
        ):
            uid = f"performance.{receiver.__name__}.{sender}"
            signal.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
