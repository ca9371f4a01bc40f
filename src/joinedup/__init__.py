"""Joined Up: the shared workspace of police and crime partnerships in England and Wales."""
