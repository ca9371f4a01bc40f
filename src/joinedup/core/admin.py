"""Django admin for superusers: a maintenance back door, not how staff do their work."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from joinedup.core.models import Area, AuditEvent, Organisation, ReferenceImport, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sector", "responsible_authority", "illustrative")
    list_filter = ("sector", "responsible_authority", "illustrative")
    search_fields = ("name", "charity_number", "company_number")
    filter_horizontal = ("areas",)
    raw_id_fields = ("areas",)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ("email", "full_name", "role", "organisation", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    exclude = ("password", "user_permissions", "groups")
    raw_id_fields = ("areas", "organisation")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "population", "is_split")
    list_filter = ("level", "is_split")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "lad", "csp", "pfa", "split_csps")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "event_type", "actor_email", "object_type", "object_id")
    list_filter = ("event_type",)
    search_fields = ("actor_email", "object_id", "object_repr")


@admin.register(ReferenceImport)
class ReferenceImportAdmin(ReadOnlyAdmin):
    list_display = ("kind", "source", "started_at", "finished_at")
