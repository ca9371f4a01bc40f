"""The `joinedup` command: one entry point for operators, with a subcommand group per app."""

from __future__ import annotations

import importlib
import os
import shutil
import sys

import click

# Apps that contribute subcommands: each module exposes `commands`, a list of click commands.
CLI_MODULES = [
    "joinedup.core.cli",
    "joinedup.api.cli",
    "joinedup.insight.cli",
    "joinedup.partnerships.cli",
    "joinedup.csp.cli",
    "joinedup.casework.cli",
    "joinedup.funding.cli",
    "joinedup.notifications.cli",
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    import django

    django.setup()


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
        "joinedup.config.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--access-logfile=-",
        "--forwarded-allow-ips=127.0.0.1",
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
