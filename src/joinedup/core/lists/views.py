"""The one view every declared list is served by: filter (django-filter), sort (`?sort=key`, `-key` for
descending), page (`?page=N`) and export (`?format=csv|xlsx|json`, keeping the filters and sort), all as
GET parameters on the list's own address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from joinedup.core.audit import record_event
from joinedup.core.lists.declaration import Column, ListDeclaration
from joinedup.core.lists.exports import CHUNK, FORMATS, csv_download, json_download, xlsx_download
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny, staff_view

SORT_PARAM = "sort"
PAGE_PARAM = "page"
FORMAT_PARAM = "format"
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON"}


@dataclass
class Listing:
    """A declared list as this request asks for it: filtered and sorted, not yet paged."""

    declaration: ListDeclaration
    rows: QuerySet[Any]
    filterset: Any
    sort: str

    @property
    def filters(self) -> dict[str, Any]:
        if self.filterset is None or not self.filterset.is_bound or not self.filterset.is_valid():
            return {}
        return {k: str(v) for k, v in self.filterset.form.cleaned_data.items() if v not in (None, "", [])}


def build_listing(declaration: ListDeclaration, request: HttpRequest) -> Listing:
    rows = declaration.rows(request)
    filterset = None
    if declaration.filterset is not None:
        filterset = declaration.filterset(request.GET or None, queryset=rows, request=request)
        rows = filterset.qs
    sort = request.GET.get(SORT_PARAM, "")
    column = declaration.sortable.get(sort.removeprefix("-"))
    if column is None:
        sort = declaration.default_sort
        column = declaration.sortable.get(sort.removeprefix("-"))
    if column is not None:
        descending = sort.startswith("-")
        rows = rows.order_by(*(_direction(f, descending) for f in column.sort_fields), "pk")
    elif not rows.ordered:
        rows = rows.order_by("pk")  # pages of an unordered query could repeat or skip rows
    return Listing(declaration, rows, filterset, sort)


def _direction(field: str, descending: bool) -> str:
    if not descending:
        return field
    return field[1:] if field.startswith("-") else f"-{field}"


def list_view(declaration: ListDeclaration) -> Callable[..., HttpResponseBase]:
    """The page (and its downloads) for a declared list; a staff list checks `declaration.permission`."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        listing = build_listing(declaration, request)
        fmt = request.GET.get(FORMAT_PARAM, "")
        if fmt:
            return export(listing, request, fmt)
        return render(request, declaration.template, page_context(listing, request))

    view.__name__ = view.__qualname__ = declaration.name.replace("-", "_")
    view.__doc__ = f"The list “{declaration.title}” (declared in a `lists` module)."
    view.list_declaration = declaration  # type: ignore[attr-defined]
    if declaration.permission:
        return staff_view(declaration.permission)(view)
    return view


def export(
    listing: Listing, request: HttpRequest, fmt: str, *, columns: tuple[Column, ...] | None = None
) -> HttpResponseBase:
    """A download of every row of the listing (its filters and sort), one `EXPORT` event in the audit log,
    named after the list and today's date. `columns` replaces the list's export columns, for a download
    at an address of its own that keeps the columns it always had."""
    declaration = listing.declaration
    if fmt not in FORMATS:
        raise Http404("Page not found")
    action = declaration.export_permission
    if action and not has_permission(request.user, action):
        raise deny(request, action)
    record_event(
        EventType.EXPORT,
        request=request,
        object_type=declaration.object_type,
        detail={"format": fmt, "list": declaration.name, "filters": listing.filters, "sort": listing.sort},
    )
    columns = declaration.export_columns if columns is None else columns
    filename = f"{declaration.export_name}-{timezone.localdate():%Y-%m-%d}"
    rows = listing.rows.iterator(chunk_size=CHUNK)
    if fmt == "csv":
        return csv_download(columns, rows, filename)
    if fmt == "xlsx":
        return xlsx_download(columns, rows, filename, title=declaration.title)
    return json_download(columns, rows, filename, count=listing.rows.count())


def download_view(
    declaration: ListDeclaration,
    fmt: str = "csv",
    *,
    columns: tuple[Column, ...] | None = None,
    prefetch: tuple[str, ...] = (),
) -> Callable[..., HttpResponseBase]:
    """A download at an address of its own (an older `export.csv`, `register.json`), served by the list's
    one export: the list's rows, filters and sort, its audit event and file name, in `fmt`, with `columns`
    when the address keeps the columns it always had (`prefetch` reads what those columns need in one
    query each). It needs the list's download rule (its export permission, else its page permission)."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        listing = build_listing(declaration, request)
        if prefetch:
            listing.rows = listing.rows.prefetch_related(*prefetch)
        return export(listing, request, fmt, columns=columns)

    view.__name__ = view.__qualname__ = f"{declaration.name.replace('-', '_')}_{fmt}"
    view.__doc__ = f"The list “{declaration.title}” as {fmt.upper()}, at an address of its own."
    action = declaration.export_permission or declaration.permission
    return staff_view(action)(view) if action else view


@dataclass(frozen=True)
class Header:
    column: Column
    sortable: bool


def page_context(listing: Listing, request: HttpRequest) -> dict[str, Any]:
    declaration = listing.declaration
    page: Page[Any] = Paginator(listing.rows, declaration.page_size).get_page(request.GET.get(PAGE_PARAM))
    columns = declaration.table_columns
    body: list[list[tuple[SafeString, bool]]] = [
        [(c.cell(row), c.numeric) for c in columns] for row in page.object_list
    ]
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    downloads = []
    for fmt in FORMATS:
        query[FORMAT_PARAM] = fmt
        downloads.append((FORMAT_LABELS[fmt], f"?{query.urlencode()}"))
    can_export = not declaration.export_permission or has_permission(
        request.user, declaration.export_permission
    )
    sort = request.GET.get(SORT_PARAM, "")
    context: dict[str, Any] = {
        "list": declaration,
        "layout": declaration.layout,
        "filter_form": listing.filterset.form if listing.filterset is not None else None,
        "page_obj": page,
        "count": page.paginator.count,
        "count_text": declaration.count_text(page.paginator.count),
        "headers": [Header(c, c.sort is not None) for c in columns],
        "body": body,
        "downloads": downloads if can_export else [],
        "hidden_params": [(SORT_PARAM, sort)] if sort else [],
        "filtered": bool(listing.filters),
        **{key: has_permission(request.user, permission) for key, permission in declaration.may.items()},
    }
    if declaration.context is not None:
        context.update(declaration.context(request))
    return context
