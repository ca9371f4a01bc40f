"""`joinedup csp ...`: the CSP commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def csp() -> None:
    """Community safety partnerships: duties, plans, reviews and briefing notes."""


@csp.command("demo")
def demo() -> None:
    """Record each Northumbria CSP as a statutory partnership with its responsible authorities, this
    year's duties, a CSP plan that has regard to the Police and Crime Plan and a briefing note submitted to
    the Panel (idempotent; run `joinedup demo` and `joinedup partnerships demo` first; the Panel's own year
    is `joinedup scrutiny demo`). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_csp_demo, load_year_demo

    try:
        load_csp_demo(out=click.echo)
        load_year_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [csp]
