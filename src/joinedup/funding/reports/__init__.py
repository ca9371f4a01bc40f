"""Spend reports: by Plan priority, CSP, sector, fund and year, per head; monitoring returns due
(docs/adr/0018, 0042)."""
