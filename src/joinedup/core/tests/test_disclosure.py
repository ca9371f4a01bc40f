"""Disclosure control (ADR 0013): small counts hidden, and no hidden count recoverable from a total."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.core.disclosure import FEWER_THAN, NOT_SHOWN, suppress_count, suppress_small_counts


def test_counts_of_one_and_two_read_fewer_than_three_and_the_rest_are_exact():
    shown = suppress_small_counts({"a": 0, "b": 1, "c": 2, "d": 3, "e": 40}, with_total=False)
    assert [c.as_json() for c in shown.cells.values()] == [0, FEWER_THAN, FEWER_THAN, 3, 40]
    assert shown.total.as_json() == 46


def test_a_single_hidden_cell_takes_the_smallest_other_cell_with_it():
    shown = suppress_small_counts({"noise": 7, "litter": 1, "vehicles": 4})
    assert shown.as_json() == {"noise": 7, "litter": FEWER_THAN, "vehicles": NOT_SHOWN}
    assert shown.total.as_json() == 12


def test_two_hidden_cells_adding_to_two_are_protected_too():
    # 1 + 1 = 2 by subtraction would tell that each is 1: a third cell is hidden.
    shown = suppress_small_counts({"a": 1, "b": 1, "c": 9, "d": 5})
    assert shown.as_json() == {"a": FEWER_THAN, "b": FEWER_THAN, "c": 9, "d": NOT_SHOWN}


def test_with_nothing_left_to_hide_the_total_is_hidden():
    shown = suppress_small_counts({"met": 4, "not met": 0, "undecided": 1})
    assert shown.as_json() == {"met": NOT_SHOWN, "not met": 0, "undecided": FEWER_THAN}
    assert shown.total.as_json() == 5
    alone = suppress_small_counts({"met": 1, "not met": 0})
    assert alone.total.as_json() == FEWER_THAN


def test_a_count_on_its_own_and_bad_input():
    assert [suppress_count(n).as_json() for n in (0, 1, 2, 3)] == [0, FEWER_THAN, FEWER_THAN, 3]
    assert str(suppress_count(2)) == FEWER_THAN
    with pytest.raises(ValueError):
        suppress_small_counts({"a": -1})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6))
def test_no_hidden_small_count_can_be_worked_out_from_what_is_shown(values):
    counts = dict(enumerate(values))
    shown = suppress_small_counts(counts)
    for key, count in counts.items():
        cell = shown.cells[key]
        if 0 < count < 3:
            assert cell.suppressed and cell.label == FEWER_THAN
        elif not cell.suppressed:
            assert cell.value == count
    hidden = [k for k, c in shown.cells.items() if c.suppressed]
    if not shown.total.suppressed and hidden:
        # Every assignment of values the reader cannot rule out (hidden small cells 1-2, others >= 3 or 0
        # when secondary) must leave each small cell ambiguous: at least two hidden cells summing to >= 3.
        assert len(hidden) >= 2 and sum(counts[k] for k in hidden) >= 3
    # Whatever is shown, the shown cells and total are exact.
    if not shown.total.suppressed:
        assert shown.total.value == sum(values)
