"""Shared foundations: areas, organisations, people, roles, permissions and audit."""
