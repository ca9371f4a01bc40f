"""`joinedup csp ...`: the CSP commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def csp() -> None:
    """Community safety partnerships: duties, plans and Panel scrutiny."""


@csp.command("demo")
def demo() -> None:
    """Record each Northumbria CSP as a statutory partnership with its responsible authorities, and this
    year's duties (idempotent; run `joinedup demo` first). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_csp_demo

    try:
        load_csp_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [csp]
