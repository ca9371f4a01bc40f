"""`joinedup mailsink`, `joinedup mail ...` and `joinedup scheduler`."""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.command("mailsink")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8025, show_default=True, help="SMTP port to listen on.")
@click.option(
    "--dir", "folder", type=click.Path(path_type=Path), default=None, help="Default: <data dir>/mail."
)
def mailsink(host: str, port: int, folder: Path | None) -> None:
    """A local SMTP server that writes every message to a folder (for development; `./run` starts it).

    Point Joined Up at it with JOINEDUP_EMAIL_URL=smtp://127.0.0.1:8025."""
    import logging

    from django.conf import settings

    from .mailsink import serve_folder

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO

    folder = folder or Path(settings.DATA_DIR) / "mail"
    controller = serve_folder(folder, host=host, port=port)
    click.echo(f"Mail sink listening on {host}:{port}; messages are written to {folder}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@click.group()
def mail() -> None:
    """The email outbox."""


@mail.command("list")
@click.option("--status", type=click.Choice(["queued", "sending", "sent", "failed"]), default=None)
@click.option("--limit", default=20, show_default=True)
def list_mail(status: str | None, limit: int) -> None:
    """List the newest messages in the outbox with their status (never their bodies)."""
    from .selectors import outbox

    for message in outbox(status=status or "")[:limit]:
        error = f"  ({message.last_error})" if message.last_error else ""
        click.echo(
            f"{message.pk}\t{message.created_at:%Y-%m-%d %H:%M}\t{message.status}\t{message.attempts}\t"
            f"{message.kind}\t{message.to}\t{message.subject}{error}"
        )


@click.command("scheduler")
@click.option("--interval", default=20, show_default=True, help="Seconds between passes over the timetable.")
@click.option("--once", is_flag=True, help="One pass over the timetable, then stop (for cron or a test).")
def scheduler(interval: int, once: bool) -> None:
    """Run the periodic jobs (email sweep, daily digest, casework retention) on their timetable.

    Safe to run on several machines: a database lease lets one instance run each job at a time, and
    every run is recorded (`joinedup scheduler-status`)."""
    from .scheduler import TIMETABLE, instance_name, tick

    name = instance_name()
    click.echo(f"Scheduler {name}: " + ", ".join(job.name for job in TIMETABLE))
    while True:
        try:
            for run in tick(instance=name):
                click.echo(f"{run.started_at:%Y-%m-%d %H:%M:%S} {run.job}: {run.outcome} - {run.summary}")
        except Exception as exc:  # the database was away: say so and try again next pass
            click.echo(f"Scheduler pass failed: {exc}", err=True)
            if once:
                raise
        if once:
            return
        time.sleep(interval)


@click.command("scheduler-status")
def scheduler_status() -> None:
    """When a scheduler was last seen, and each job's last run."""
    from .selectors import latest_runs, scheduler_last_seen

    seen = scheduler_last_seen()
    click.echo(f"Scheduler last seen: {seen:%Y-%m-%d %H:%M:%S %Z}" if seen else "No scheduler has run yet.")
    for run in latest_runs():
        click.echo(f"{run.job}\t{run.started_at:%Y-%m-%d %H:%M}\t{run.outcome}\t{run.summary}")


commands = [mailsink, mail, scheduler, scheduler_status]
