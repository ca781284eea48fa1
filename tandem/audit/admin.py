"""Audit rows are shown read-only: nobody, not even an administrator, edits the trail."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "event_type", "organisation", "actor")
    list_filter = ("event_type",)
    # Shows no person: administrators manage the system, not case content.
    fields = ("at", "event_type", "organisation", "actor")
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
