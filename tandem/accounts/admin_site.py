"""Django's admin site, closed to staff whose login still waits for its second factor, and
audited: every add, change and delete made through it writes an ``AuditEvent``.

``TwoFactorMiddleware`` already sends such a user to the code step from every page; the site
checks again itself, so the admin stays closed if the middleware is ever left out.

Every model registered with the site (Tandem's and those of django-otp, axes and auth) gets
``AuditedAdminMixin`` mixed in at registration, so no admin class can be added without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Model
from django.http import HttpRequest

if TYPE_CHECKING:
    from tandem.audit.events import Event

# What an admin change message says about each part (Django's ``construct_change_message``),
# kept in the audit event without its ``object``: that is the object's text (a user's name).
_ACTIONS = ("added", "changed", "deleted")


def admin_changes(message: Any) -> list[dict[str, Any]]:
    """The parts of an admin change message the audit event keeps: for the object and each
    inline row, what happened, to which kind of row and which fields (their labels) — never
    an object's text or a value."""
    if not isinstance(message, list):
        return []  # a message written as text may hold anything: the event keeps none of it
    changes = []
    for part in message:
        for action in _ACTIONS:
            if isinstance(part, dict) and action in part:
                detail = part[action] or {}
                change: dict[str, Any] = {"action": action}
                if detail.get("name"):
                    change["model"] = str(detail["name"])
                if detail.get("fields"):
                    change["fields"] = [str(f) for f in detail["fields"]]
                changes.append(change)
    return changes


class AuditedAdminMixin:
    """Writes an audit event for every add, change and delete the admin logs in its history
    (``log_addition``, ``log_change``, ``log_deletions``: the object's form with its inlines,
    list-editable rows, a password set by an administrator, the delete page and the "delete
    selected" action). The event names the model and the object's id and lists the changed
    fields; admins that also record a specific event (a role granted, a project changed) keep
    it: this one says that the admin was used, and for what."""

    def _audit_admin(
        self, request: HttpRequest, event: Event, objects: Iterable[Model], message: Any = None
    ) -> None:
        # Imported here: this module is loaded with INSTALLED_APPS, before any model.
        from tandem.accounts.models import User
        from tandem.audit.services import audit_event_record, audit_events_in_bulk

        actor = request.user if isinstance(request.user, User) else None
        changes = admin_changes(message)
        with audit_events_in_bulk():
            for obj in objects:
                data: dict[str, Any] = {"model": obj._meta.label_lower, "object": str(obj.pk)}
                if message is not None:
                    data["changes"] = changes
                audit_event_record(actor=actor, event_type=event, data=data)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        from tandem.audit.events import Event

        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        self._audit_admin(request, Event.OBJECT_CREATED_ADMIN, [obj], message)
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        from tandem.audit.events import Event

        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        self._audit_admin(request, Event.OBJECT_UPDATED_ADMIN, [obj], message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Model]) -> Any:
        from tandem.audit.events import Event

        objects = list(queryset)  # logged before the deletion, while the ids are there
        entries = super().log_deletions(request, objects)  # type: ignore[misc]
        self._audit_admin(request, Event.OBJECT_DELETED_ADMIN, objects)
        return entries


def audited(admin_class: type[admin.ModelAdmin[Any]]) -> type[admin.ModelAdmin[Any]]:
    """``admin_class`` with ``AuditedAdminMixin`` mixed in (the same class when it has it)."""
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


class TandemAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: this module is loaded with INSTALLED_APPS, before any model.
        from .twofactor import needs_second_factor

        return super().has_permission(request) and not needs_second_factor(request.user)

    def register(  # type: ignore[override]
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        """Register as Django does, with the admin class audited (``AuditedAdminMixin``)."""
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)


class TandemAdminConfig(AdminConfig):
    default_site = "tandem.accounts.admin_site.TandemAdminSite"
