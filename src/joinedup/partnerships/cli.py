"""`joinedup partnerships ...`: the partnership register's commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def partnerships() -> None:
    """The partnership register."""


@partnerships.command("demo")
def demo() -> None:
    """Load the partnerships described in the source reports, an illustrative Police and Crime Plan and
    reviews falling due (idempotent; run `joinedup demo` first).

    Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_partnership_demo, load_year_demo

    try:
        load_partnership_demo(out=click.echo)
        load_year_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [partnerships]
