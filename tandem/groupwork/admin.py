"""Group-work programmes and their modules for administrators: who runs which programme (its
coaches) and the modules on offer. No participant, enrolment or attendance is in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ManyToManyField, QuerySet
from django.forms import Form
from django.http import HttpRequest

from tandem.accounts.models import Role, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .models import Module, Programme


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("name", "theme", "session_count", "capacity", "is_active")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "province", "promoter", "project")
    list_filter = ("province",)
    search_fields = ("name",)
    fields = ("project", "name", "promoter", "province", "coaches", "dropout_after", "description")
    filter_horizontal = ("coaches",)
    inlines = [ModuleInline]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "coaches":
            coaches: QuerySet[User] = User.objects.filter(
                role_assignments__role=Role.GROUP_COACH
            ).distinct()
            kwargs["queryset"] = coaches
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_event_record(
            actor=request.user if isinstance(request.user, User) else None,
            organisation=obj.promoter,
            event_type=Event.GROUPWORK_PROGRAMME_UPDATED
            if change
            else Event.GROUPWORK_PROGRAMME_CREATED,
            data={"programme": obj.pk, "via": "admin"},
        )
