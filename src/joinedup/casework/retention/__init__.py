"""Retention: closed cases anonymised after the retention period (ADR 0009)."""
