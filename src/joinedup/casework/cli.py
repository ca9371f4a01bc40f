"""`joinedup casework ...`: casework commands for operators (the retention rule) and the demo day."""

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


@casework.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count the closed cases that are due; change nothing.")
@click.option("--enqueue", is_flag=True, help="Hand the work to the task worker instead of doing it now.")
def retention(dry_run: bool, enqueue: bool) -> None:
    """Anonymise closed cases past the retention period (JOINEDUP_CASEWORK["retention_days"], default six
    years). Idempotent: run it daily from cron or a scheduler; a case is anonymised once."""
    from .retention.services import anonymise_closed_cases, due_cases, retention_days

    if dry_run:
        click.echo(
            f"{due_cases().count()} closed case(s) are past the retention period of {retention_days()} days."
        )
        return
    if enqueue:
        from .tasks import anonymise_closed_cases as task

        result = task.enqueue()
        click.echo(f"Enqueued the retention task ({result.id}).")
        return
    click.echo(anonymise_closed_cases().summary())


commands = [casework]
