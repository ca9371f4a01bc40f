"""`{% if user|can:"csp.dhr.view" %}`: show a link only to someone allowed to follow it (no 404 links)."""

from __future__ import annotations

from typing import Any

from django import template

from joinedup.core.permissions import has_permission

register = template.Library()


@register.filter
def can(user: Any, action: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_permission(user, action)
