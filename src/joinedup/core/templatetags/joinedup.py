"""Template tags for Joined Up's list pages: query strings that keep filters, sortable headers, pagination."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.core.paginator import Page
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

SORT_PARAM = "sort"
PAGE_PARAM = "page"


def _querystring(request: HttpRequest, changes: dict[str, object | None]) -> str:
    """The request's query string with `changes` applied; a value of None or "" removes the parameter."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def query_replace(request: HttpRequest, key: str, value: object | None) -> str:
    """`{% query_replace request "page" 3 %}` gives "?status=open&page=3": one parameter replaced,
    every other one kept. A value of None or "" removes the parameter."""
    return _querystring(request, {key: value})


def current_sort(request: HttpRequest, param: str = SORT_PARAM) -> tuple[str, bool]:
    """The field the list is sorted by and whether the order is descending, from `?sort=-field`."""
    value = request.GET.get(param, "")
    if value.startswith("-"):
        return value[1:], True
    return value, False


@register.simple_tag
def sortable_th(
    request: HttpRequest,
    field: str,
    label: str,
    *,
    param: str = SORT_PARAM,
    numeric: bool = False,
    default: str = "",
) -> SafeString:
    """`{% sortable_th request "created" "Date raised" %}`: a column header for a table sorted by the server.

    It carries aria-sort (ascending, descending or none) and a link that sorts by the column, or reverses
    the order when the list is already sorted by it, keeping every other parameter except the page
    number (a new order starts at page 1). `default` names the sort the view applies when the query
    has none, such as "-created", so the header of the default column shows its order too.
    """
    sorted_by, descending = current_sort(request, param)
    if not sorted_by and default:
        sorted_by, descending = default.removeprefix("-"), default.startswith("-")
    if sorted_by == field:
        aria_sort = "descending" if descending else "ascending"
        next_value = field if descending else f"-{field}"
    else:
        aria_sort = "none"
        next_value = field
    classes = "govuk-table__header govuk-table__header--numeric" if numeric else "govuk-table__header"
    href = _querystring(request, {param: next_value, PAGE_PARAM: None})
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="ju-sort-link" href="{}">{}</a></th>',
        classes,
        aria_sort,
        href,
        label,
    )


@register.simple_tag
def elided_page_range(page_obj: Page, on_each_side: int = 1, on_ends: int = 1) -> Iterable[int | str]:
    """The page numbers to link to around the current page, with Paginator.ELLIPSIS for the gaps
    (1 … 4 5 6 … 20), as the GOV.UK pagination component recommends."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends)
    )
