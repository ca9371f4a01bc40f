"""Reads for the core records, already restricted to the user."""
