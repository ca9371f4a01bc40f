"""A list declared once: where its rows come from (a restricted selector), how they are filtered (a
django-filter FilterSet), its columns, default sort, page size and export name, and a registry of every
declared list so one shared test can run them all."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString

Kind = Literal["text", "code", "number", "date", "money", "data"]
KINDS: tuple[str, ...] = ("text", "code", "number", "date", "money", "data")


@dataclass(frozen=True)
class Column:
    """One column of a list, in the table and in every export.

    `value` is an attribute path ("csp.name"; a method such as `get_status_display` is called) or a
    function of the row; `sort` the ORM ordering field(s) the column sorts by (None: not sortable; the
    query parameter is `?sort=key` or `?sort=-key`); `kind` says how the value is shown and exported: a
    `code` (company number, ONS code, postcode) is always text, so leading zeros survive in a spreadsheet;
    `data` (lists and mappings of plain values) stays structured in JSON and is JSON text elsewhere.
    `link` gives the cell's link; `html` replaces the cell's content in the table (the exports keep the
    plain value); `empty` is shown in the table for no value; `date_format` is how a `date` column shows its
    date or date-time (a Django date format, "j F Y" when not given), a date-time in local time.
    `table`/`export` leave it out of one."""

    key: str
    label: str | Promise  # lazy (gettext_lazy) on a public list
    value: str | Callable[[Any], Any] = ""
    sort: str | tuple[str, ...] | None = None
    kind: Kind = "text"
    link: Callable[[Any], str] | None = None
    html: Callable[[Any], SafeString] | None = None
    empty: str | Promise = ""
    date_format: str = ""
    table: bool = True
    export: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}")

    @property
    def sort_fields(self) -> tuple[str, ...]:
        if self.sort is None:
            return ()
        return (self.sort,) if isinstance(self.sort, str) else tuple(self.sort)

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money")

    def get(self, row: Any) -> Any:
        """The column's plain value for a row (None when a link in the path is missing)."""
        if callable(self.value):
            return self.value(row)
        value = row
        for part in (self.value or self.key).split("."):
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value) and not isinstance(value, type):
                value = value()
        return value

    def display(self, value: Any) -> str:
        """The value as text on the page: dates as "6 December 2026" (date-times in local time), money in
        pounds, numbers grouped."""
        if value is None or value == "":
            return str(self.empty)
        if self.kind == "data":
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        if self.kind == "date" and isinstance(value, datetime.date):
            return dateformat.format(value, self.date_format or "j F Y")
        if self.kind == "money" and isinstance(value, decimal.Decimal | int | float):
            return f"£{decimal.Decimal(value):,.2f}"
        if self.kind == "number" and isinstance(value, int | decimal.Decimal | float):
            return f"{value:,}"
        return str(value)

    def cell(self, row: Any) -> SafeString:
        """The table cell's content: the declared html, or the value (linked when the column has a link)."""
        if self.html is not None:
            return self.html(row)
        text = self.display(self.get(row))
        if self.link is not None and text:
            return format_html('<a class="govuk-link" href="{}">{}</a>', self.link(row), text)
        return format_html("{}", text)


@dataclass
class ListDeclaration:
    """Everything one list page needs; `list_view(declaration)` serves it (ADR 0024).

    `rows(request)` returns the rows the person may see (call the app's restricted selector: the
    declaration never widens it); `permission` is the staff rule for the page (None for a public page),
    `export_permission` the rule for downloads when it differs. `default_sort` is a column key ("-" for
    descending), or "" to keep the selector's own order. `may` names the page's buttons by the permission
    each needs (`{"can_create": "organisations.create"}`: True or False in the page's context);
    `context(request)` adds anything else to the page's context (today's date); `template` extends "lists/page.html" for anything above the table."""

    name: str
    title: str | Promise
    rows: Callable[[HttpRequest], QuerySet[Any]]
    columns: tuple[Column, ...]
    permission: str | None
    object_type: str
    noun: tuple[str | Promise, str | Promise] = ("result", "results")
    filterset: type[django_filters.FilterSet] | None = None
    default_sort: str = ""
    page_size: int = 50
    export_name: str = ""
    export_permission: str | None = None
    template: str = "lists/page.html"
    heading: str | Promise = ""
    caption: str | Promise = ""
    empty: str | Promise = "Nothing to show."
    layout: str = "layouts/staff.html"
    may: Mapping[str, str] = field(default_factory=dict)
    context: Callable[[HttpRequest], Mapping[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    count_in_bold: bool = False
    # A public list's noun for a count, in the reader's language and its plural forms (`ngettext`): Welsh
    # has four, so `noun` alone cannot say it.
    counted: Callable[[int], str] | None = None

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"list {self.name}: two columns share a key")
        if self.default_sort and self.default_sort.removeprefix("-") not in self.sortable:
            raise ValueError(f"list {self.name}: default sort {self.default_sort!r} is not a sortable column")
        self.export_name = self.export_name or self.name
        # A public list's texts are lazy (translated when shown): tested as text, never turned into it here.
        if not isinstance(self.heading, Promise) and not self.heading:
            self.heading = self.title
        if not isinstance(self.caption, Promise) and not self.caption:
            self.caption = self.title

    @property
    def sortable(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns if c.sort is not None}

    @property
    def table_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.table)

    @property
    def export_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.export)

    def count_text(self, count: int) -> str:
        noun = self.counted(count) if self.counted is not None else str(self.noun[0 if count == 1 else 1])
        if self.count_in_bold:
            return format_html("<strong>{}</strong> {}", f"{count:,}", noun)
        return f"{count:,} {noun}"


_REGISTRY: dict[str, ListDeclaration] = {}


def register(declaration: ListDeclaration) -> ListDeclaration:
    """Add a list to the registry (once per name) and return it."""
    existing = _REGISTRY.get(declaration.name)
    if existing is not None and existing is not declaration:
        raise ValueError(f"a list called {declaration.name!r} is declared twice")
    _REGISTRY[declaration.name] = declaration
    return declaration


def discover() -> None:
    """Import every `lists` module: each app's top-level one and, in the project's apps, each sub-package's
    (ADR 0042: `casework/risk/lists.py` is the same layer as `casework/lists.py`)."""
    import importlib
    import importlib.util
    import pkgutil

    from django.apps import apps
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("lists")
    for config in apps.get_app_configs():
        if not config.name.startswith("joinedup."):
            continue
        for found in pkgutil.iter_modules([config.path]):
            if found.ispkg and found.name not in ("tests", "migrations", "lists"):
                name = f"{config.name}.{found.name}.lists"
                if importlib.util.find_spec(name) is not None:
                    importlib.import_module(name)


def all_lists() -> dict[str, ListDeclaration]:
    """Every declared list, by name (every app's and every sub-package's `lists` module is imported first)."""
    discover()
    return dict(sorted(_REGISTRY.items()))


def get_list(name: str) -> ListDeclaration:
    return all_lists()[name]
