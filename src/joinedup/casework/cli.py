"""`joinedup casework ...`: casework commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def casework() -> None:
    """Multi-agency ASB casework."""


@casework.command("demo")
def demo() -> None:
    """Load the Sevenoaks day on Northumbria ground (once; run `joinedup demo` first).

    Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_casework_demo

    try:
        load_casework_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [casework]
