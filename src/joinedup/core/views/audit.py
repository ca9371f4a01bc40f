"""The audit event log: the page (declared in core.staff_lists: filters, sort, paging, CSV/XLSX/JSON) and
the older CSV address (the list's export with its old columns)."""

from __future__ import annotations

from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.staff_lists import AUDIT_CSV_COLUMNS, AUDIT_EVENTS

audit_event_list = list_view(AUDIT_EVENTS)

# The older CSV address, with the columns it always had: the list's own export.
audit_event_export = download_view(AUDIT_EVENTS, columns=AUDIT_CSV_COLUMNS)
