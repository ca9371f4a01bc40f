"""The `joinedup` command: one entry point for operators, with a subcommand group per app."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

import click

# Apps that contribute subcommands: each module exposes `commands`, a list of click commands.
CLI_MODULES = [
    "joinedup.core.cli",
    "joinedup.api.cli",
    "joinedup.insight.cli",
    "joinedup.partnerships.cli",
    "joinedup.csp.cli",
    "joinedup.scrutiny.cli",
    "joinedup.casework.cli",
    "joinedup.funding.cli",
    "joinedup.notifications.cli",
    "joinedup.engagement.cli",
    "joinedup.performance.cli",
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        # Production settings that are missing or unsafe: say which, without a traceback.
        print(exc, file=sys.stderr)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Joined Up: the shared workspace of police and crime partnerships.

    Run `joinedup COMMAND --help` for help on any command.
    """


@main.command()
@click.option("--port", envvar="PORT", default=8000, show_default=True, help="Port to listen on (env PORT).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--workers", default=3, show_default=True, help="gunicorn worker processes.")
def serve(port: int, host: str, workers: int) -> None:
    """Serve the site with gunicorn (a production-grade WSGI server)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        raise click.ClickException("gunicorn is not installed: run ./run, which installs it.")
    args = [
        gunicorn,
        "--config=python:joinedup.config.gunicorn",
        "joinedup.config.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
    ]
    os.execv(gunicorn, args)  # noqa: S606  (replace this process with the server)


@main.command()
@click.option(
    "--max-tasks", type=int, default=None, help="Stop after this many tasks (default: run forever)."
)
def worker(max_tasks: int | None) -> None:
    """Run the background task worker (imports, reports, retention).

    It records a heartbeat every few seconds (the staff pages warn when none has been seen for some
    minutes) and, when it starts and every minute, fails the work of workers that died, with the reason."""
    from joinedup.core.worker import run_worker

    run_worker(max_tasks=max_tasks)


@main.command()
@click.option(
    "--deploy",
    is_flag=True,
    help="Also check every production setting, the database connection and that migrations are applied.",
)
def check(deploy: bool) -> None:
    """Check the installation; with --deploy, refuse (exit 2) naming every missing or unsafe setting.

    The systemd units and the container run `joinedup check --deploy` before they start anything."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from joinedup.config.deploy import deploy_problems, refusal

    if deploy:
        problems = deploy_problems(os.environ)
        if os.environ.get("JOINEDUP_ENV", "local") != "production":
            problems.insert(0, "JOINEDUP_ENV is not 'production': the production settings are not in use.")
        if problems:
            click.echo(refusal(problems), err=True)
            sys.exit(2)
    try:
        call_command(
            "check", deploy=deploy, fail_level="WARNING" if deploy else "ERROR", databases=["default"]
        )
    except SystemCheckError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if deploy:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:  # the database cannot be reached or read
            click.echo(f"DATABASE_URL: the database cannot be read: {exc}", err=True)
            sys.exit(2)
        if pending:
            click.echo(
                f"The database needs {len(pending)} migration(s): run `joinedup manage migrate`.", err=True
            )
            sys.exit(2)
    click.echo("No problems found.")


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The archive to write (default: joinedup-backup-YYYYMMDDTHHMMSS.tar here).",
)
def backup(out: Path | None) -> None:
    """Write one archive: the database, the analytical store's current generation, uploaded files and a
    manifest with checksums (docs/adr/0023)."""
    from datetime import UTC, datetime

    from joinedup.core.backup import BackupError, create_backup

    out = out or Path(f"joinedup-backup-{datetime.now(UTC):%Y%m%dT%H%M%S}.tar")
    try:
        manifest = create_backup(out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Wrote {out}: {manifest['engine']} database, store generation {manifest['generation'] or 'none'}, "
        f"{len(manifest['members'])} files with checksums."
    )


@main.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(archive: Path) -> None:
    """Rebuild this empty instance from a `joinedup backup` archive (refuses a non-empty instance or a
    damaged archive, before changing anything)."""
    from joinedup.core.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(archive)
    except BackupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(
        f"Restored {archive} (made {manifest['created_at']}). Run `joinedup manage migrate` if this "
        "version is newer than the one that made it."
    )


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `joinedup manage migrate`."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["joinedup manage", *args])


def _register_app_commands() -> None:
    for module_name in CLI_MODULES:
        module = importlib.import_module(module_name)
        for command in module.commands:
            main.add_command(command)


_setup_django()
_register_app_commands()

if __name__ == "__main__":
    main()
