"""Calls, projects and targets for administrators and programme managers: figures only, no
case content. The admin's forms run the models' ``full_clean`` (shares adding up to 100 %, the
split adding up to the budget) and every save or delete writes an audit event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from .models import Call, CallTarget, Funded, Project, ProjectTarget


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class _AuditedAdmin(admin.ModelAdmin):
    """Validate (the admin form runs ``full_clean``) and write an audit event with each save."""

    # The events of this model's admin: (created, updated, deleted).
    events: tuple[Event, Event, Event]

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_event_record(
            actor=_user(request),
            event_type=self.events[1] if change else self.events[0],
            data={"code": obj.code},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        code = getattr(obj, "code", "")
        super().delete_model(request, obj)
        audit_event_record(
            actor=_user(request),
            event_type=self.events[2],
            data={"code": code},
        )


class CallTargetInline(admin.TabularInline):
    model = CallTarget
    extra = 0
    fields = ("kind", "bound", "value", "due_date", "note")


class ProjectTargetInline(admin.TabularInline):
    model = ProjectTarget
    extra = 0
    fields = ("kind", "bound", "value", "due_date", "note")


class CallAdminForm(forms.ModelForm):
    """The call's ``funds`` as checkboxes, one per ``Funded`` kind, instead of raw JSON."""

    funds = forms.MultipleChoiceField(
        label=_("funds"),
        choices=Funded.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "What the call pays for, within its period: trajectory types and/or group work. "
            "A call that funds nothing refuses every trajectory, placement and contact under "
            "its projects."
        ),
    )

    class Meta:
        model = Call
        fields = [
            "code",
            "number",
            "title",
            "operational_programme",
            "priority",
            "investment_priority",
            "start_date",
            "end_date",
            "total_budget",
            "esf_share_percent",
            "cofinancing_percent",
            "planned_projects",
            "target_group",
            "description",
            "funds",
        ]

    def clean_funds(self) -> list[str]:
        return list(self.cleaned_data["funds"])


@admin.register(Call)
class CallAdmin(_AuditedAdmin):
    events = (Event.CALL_CREATED_ADMIN, Event.CALL_UPDATED_ADMIN, Event.CALL_DELETED_ADMIN)
    form = CallAdminForm
    list_display = (
        "number",
        "title",
        "operational_programme",
        "start_date",
        "end_date",
        "total_budget",
        "esf_share_percent",
        "cofinancing_percent",
    )
    search_fields = ("number", "title", "code")
    prepopulated_fields = {"code": ("title",)}
    inlines = [CallTargetInline]


@admin.register(Project)
class ProjectAdmin(_AuditedAdmin):
    events = (Event.PROJECT_CREATED_ADMIN, Event.PROJECT_UPDATED_ADMIN, Event.PROJECT_DELETED_ADMIN)
    list_display = (
        "name",
        "call",
        "promoter",
        "province",
        "start_date",
        "end_date",
        "budget",
        "esf_amount",
        "cofinancing_amount",
    )
    list_filter = ("province", "call")
    search_fields = ("name", "code")
    filter_horizontal = ("partners",)
    inlines = [ProjectTargetInline]
