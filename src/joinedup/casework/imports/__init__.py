"""Incident intake from a CSV or Excel file, all rows or none, in the background when large."""
