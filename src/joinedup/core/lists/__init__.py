"""One way to list, filter, sort, page and export: each list is declared once (`ListDeclaration`) and served
by one view, one table include and one set of exports (CSV, XLSX, JSON). See ADR 0024."""

from joinedup.core.lists.areas import area_codes_column, area_column, area_columns, csp_filter
from joinedup.core.lists.declaration import Column, ListDeclaration, all_lists, get_list, register
from joinedup.core.lists.filters import CheckboxFilter
from joinedup.core.lists.views import list_view

__all__ = [
    "CheckboxFilter",
    "Column",
    "ListDeclaration",
    "all_lists",
    "area_codes_column",
    "area_column",
    "area_columns",
    "csp_filter",
    "get_list",
    "list_view",
    "register",
]
