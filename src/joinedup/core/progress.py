"""A command-line import's progress: one bar per stage, and a clean stop on the import's own error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

T = TypeVar("T")
Report = Callable[[str, int, int], None]


def run_with_progress(run: Callable[[Report], T], error: type[Exception]) -> T:
    """Call `run(report)`, showing a bar for each stage it reports (`report(stage, done, total)`). An
    `error` stops the command: its message on standard error and exit status 1."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            return run(report)
        except error as exc:
            progress.stop()
            click.echo(str(exc), err=True)
            raise SystemExit(1) from None
