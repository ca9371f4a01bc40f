"""Monitoring returns and the outcome measures they report (docs/adr/0037, 0041, 0042)."""
