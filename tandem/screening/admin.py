"""Administrators maintain the signal checklist here. A published version is read-only: the
'new draft version' action copies it, the draft is edited, and 'publish' makes it current."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User

from . import services
from .exceptions import ChecklistFrozen
from .models import ChecklistVersion, PovertyThreshold, Signal


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class SignalInline(admin.TabularInline):
    model = Signal
    extra = 0
    fields = ("order", "domain", "code", "question", "help_text", "weight", "mmpps")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or not obj.is_published


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_at")
    inlines = (SignalInline,)
    actions = ("make_draft", "publish")
    readonly_fields = ("version", "published_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return obj is None or (not obj.is_published and not obj.screenings.exists())

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # drafts are made from an existing version

    @admin.action(description=_("Make a new draft version from the selected version"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet[ChecklistVersion]) -> None:
        for checklist in queryset[:1]:
            draft = services.checklist_new_version(
                acting_user=_user(request),
                based_on=checklist,
            )
            self.message_user(request, _("Draft version %(v)s made.") % {"v": draft.version})

    @admin.action(description=_("Publish the selected draft"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ChecklistVersion]) -> None:
        for checklist in queryset:
            try:
                services.checklist_publish(
                    acting_user=_user(request),
                    checklist=checklist,
                )
            except ChecklistFrozen:
                self.message_user(
                    request,
                    _("Version %(v)s is already published.") % {"v": checklist.version},
                    messages.WARNING,
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)


@admin.register(PovertyThreshold)
class PovertyThresholdAdmin(admin.ModelAdmin):
    list_display = (
        "survey_year",
        "income_year",
        "single_monthly",
        "couple_two_children_monthly",
        "valid_from",
    )
