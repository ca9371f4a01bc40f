"""`joinedup performance ...`: recompute indicator values, and the demonstration indicators."""

from __future__ import annotations

import click


@click.group()
def performance() -> None:
    """Indicators for plan priorities, their computed values and quarterly reports."""


@performance.command("recompute")
@click.option("--force-area", "force_area", default=None, help="ONS code of a force area (all if left out).")
def recompute(force_area: str | None) -> None:
    """Work out every indicator's values again from police data, casework and returns."""
    from joinedup.core.models import Area, AreaLevel

    from .services import recompute as run

    area = None
    if force_area:
        area = Area.objects.filter(code=force_area.strip().upper(), level=AreaLevel.PFA).first()
        if area is None:
            raise click.ClickException(f"There is no force area with the code {force_area!r}.")
    result = run(force_area=area)
    click.echo(
        f"{result.indicators} indicator(s), {result.periods} period(s), {result.written} value(s) changed, "
        f"{result.assessments} assessment(s) read, in {result.seconds:.1f} s."
    )


@performance.command("demo")
def demo() -> None:
    """Give the demo Police and Crime Plan and the Northumbria CSP plans a few indicators each (police
    data, casework KPIs, a manual return) and work out their values (idempotent; run `joinedup csp demo`
    first). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_performance_demo

    try:
        load_performance_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [performance]
