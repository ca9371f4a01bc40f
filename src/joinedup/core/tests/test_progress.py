"""The command-line imports' progress wrapper: what the import returns comes back; its own error stops the
command with the message and exit status 1; any other error is not swallowed."""

from __future__ import annotations

import pytest

from joinedup.core.progress import run_with_progress


class ImportFailed(Exception):
    pass


def test_returns_what_the_import_returns_after_reporting_its_stages():
    def run(report):
        for done in range(3):
            report("Reading", done, 2)
        report("Writing", 1, 1)
        return "3 rows"

    assert run_with_progress(run, ImportFailed) == "3 rows"


def test_the_imports_own_error_stops_the_command_with_its_message(capsys):
    def run(report):
        report("Reading", 0, 1)
        raise ImportFailed("lookups/lad.csv, line 4: no code")

    with pytest.raises(SystemExit) as stopped:
        run_with_progress(run, ImportFailed)
    assert stopped.value.code == 1
    assert "lookups/lad.csv, line 4: no code" in capsys.readouterr().err


def test_any_other_error_is_not_swallowed():
    def run(report):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_with_progress(run, ImportFailed)
