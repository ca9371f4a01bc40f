"""What the shared list test (core/tests/test_lists.py) needs from each declared list: a hook that makes its
own rows. Each app registers one per list in `<app>/tests/list_samples.py` with `@sample("list-name")`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass
class ListSample:
    """Rows made for one list: `rows` rows in all that `user` (None: anyone) sees at `url`, of which
    `filtered` match the GET parameters `filter`; one has a text value `formula` that starts with "=", and
    (for a list with a code column) one a code `leading_zero` that starts with 0. `more(n)` adds n more
    rows the user sees that do not match the filter.

    `download_row` is for a list whose downloads add rows to itself (the audit log records each download
    as an event in the log): it recognises such a row in a download (a dict by column key, values as the
    download gives them). The shared test then expects exactly one such row for each download it has made
    so far and checks the other rows as it checks any list; for every other list it is None and no row
    is left out of any check. No row the hook makes may match it, and the filter must not match the rows
    it recognises."""

    url: str
    user: Any
    rows: int
    filter: dict[str, str]
    filtered: int
    formula: str
    more: Callable[[int], None]
    leading_zero: str = ""
    download_row: Callable[[dict[str, Any]], bool] | None = None


SampleHook = Callable[[int], ListSample]
_SAMPLES: dict[str, SampleHook] = {}


def sample(name: str) -> Callable[[SampleHook], SampleHook]:
    """Register the hook that makes `rows` rows of the list called `name`."""

    def decorator(hook: SampleHook) -> SampleHook:
        _SAMPLES[name] = hook
        return hook

    return decorator


def all_samples() -> dict[str, SampleHook]:
    """Every app's hooks (each `joinedup.<app>.tests.list_samples` module that exists)."""
    for config in apps.get_app_configs():
        if config.name.startswith("joinedup."):
            try:
                importlib.import_module(f"{config.name}.tests.list_samples")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.list_samples":
                    raise
    return dict(_SAMPLES)
