"""`joinedup funding ...`: the funding commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def funding() -> None:
    """Funds, grants and commissioning."""


@funding.command("demo")
def demo() -> None:
    """A year of illustrative funding: a fund with this year's budget, grants awarded and tied to CSPs,
    contracts, a commissioning board and a framework (idempotent; run `joinedup demo` and `joinedup
    partnerships demo` first). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_funding_demo

    try:
        load_funding_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [funding]
