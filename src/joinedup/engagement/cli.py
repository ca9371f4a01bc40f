"""`joinedup engagement ...`: consultations and surveys (demonstration data)."""

from __future__ import annotations

import click


@click.group()
def engagement() -> None:
    """Consultations and surveys."""


@engagement.command("demo")
def demo() -> None:
    """Two consultations: Newcastle CSP's priorities (open, with answers waiting for moderation) and the
    Commissioner's Police and Crime Plan consultation (closed, results published). Idempotent; run
    `joinedup demo` first. Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_engagement_demo

    try:
        load_engagement_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [engagement]
