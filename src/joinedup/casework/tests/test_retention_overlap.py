"""Issue 13's reproduction: overlapping retention runs crashed with a database error. One run at a time:
a run that finds another under way does nothing and says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from joinedup.casework.models import CaseAnonymisation
from joinedup.casework.retention.services import RETENTION_LOCK, anonymise_closed_cases, retention_days
from joinedup.core.locks import job_lock

from .test_retention import close

pytestmark = pytest.mark.django_db


def test_a_run_that_overlaps_another_does_nothing_and_says_so(world, case):
    from joinedup.casework.cli import retention

    close(case, retention_days() + 5)
    with job_lock(RETENTION_LOCK, lease=timedelta(minutes=10)) as other_run:
        assert other_run is not None
        result = anonymise_closed_cases()
        assert result.cases == 0 and "Another retention run is under way" in result.summary()
        output = CliRunner().invoke(retention, [])
        assert output.exit_code == 0 and "Another retention run is under way" in output.output
        assert not CaseAnonymisation.objects.exists()
    # Once the other run has finished, the next run does the work.
    assert anonymise_closed_cases().cases == 1
