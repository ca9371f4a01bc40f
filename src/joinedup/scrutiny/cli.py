"""`joinedup scrutiny ...`: the Police and Crime Panel's commands (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def scrutiny() -> None:
    """The Police and Crime Panel: members, work programme, meetings and recommendations."""


@scrutiny.command("demo")
def demo() -> None:
    """The Panel's year: members and link members, meetings, recommendations to the Commissioner and a
    response (idempotent; run `joinedup demo` first). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_year_demo

    try:
        load_year_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [scrutiny]
