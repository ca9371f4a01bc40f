"""Commissioning: contracts and their KPIs, joint commissioning boards and pooled budgets, frameworks,
call-offs and supplier performance (docs/adr/0042)."""
