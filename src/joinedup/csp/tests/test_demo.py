"""`joinedup csp demo`: every Northumbria CSP gets its statutory partnership and this year's duties, once."""

from __future__ import annotations

import pytest

from joinedup.core.demo import load_demo
from joinedup.core.models import Area
from joinedup.csp import selectors
from joinedup.csp.demo import load_csp_demo
from joinedup.csp.models import DutyRecord

pytestmark = pytest.mark.django_db


def test_the_demo_records_each_csp_with_all_five_authorities_and_is_idempotent(tmp_path):
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    first = load_csp_demo(out=lambda line: None)
    assert (first.partnerships, first.members, first.duties, first.missing) == (6, 30, 48, [])
    again = load_csp_demo(out=lambda line: None)
    assert (again.partnerships, again.members, again.duties) == (0, 0, 0)
    newcastle = Area.objects.get(code="E22000245")
    check = selectors.authority_check(newcastle)
    assert check.cell.rag == "green"
    assert [o.name for o in check.present["Fire and rescue"]] == ["Tyne and Wear Fire and Rescue Service"]
    assert DutyRecord.objects.filter(csp=newcastle).count() == 8
