"""What the admin's user pages add to Django's (``admin.UserAdmin`` mixes it in): a change of a
user's roles or organisation is recorded with what changed (beside the admin site's own
``object.*.admin`` events, ``admin_site.py``), the roles go through the service that keeps the
separation of duties, a one-time reset link replaces the e-mail Tandem cannot send, and only a
superuser makes or touches a superuser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Organisation, RoleAssignment, User
from .passwords.services import password_reset_link_issue
from .services import user_organisation_change_record, user_roles_set

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _roles(formset: Any) -> set[str]:
    """The roles a user's role formset holds once saved (deleted rows left out)."""
    return {
        form.cleaned_data["role"]
        for form in formset.forms
        if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
    }


class AuditedUserAdminMixin(admin.ModelAdmin):
    # Shown on the change page (``admin.UserAdmin.fieldsets``).
    reset_link_fieldset: tuple[Any, _FieldOpts] = (
        _("Forgotten password"),
        {"fields": ("password_reset_link",)},
    )
    readonly_fields = ("password_reset_link",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        # Only a superuser makes a superuser: an administrator cannot raise themself above
        # their role.
        if not request.user.is_superuser:
            fields += ("is_superuser",)
        return fields

    @admin.display(description=_("One-time reset link"))
    def password_reset_link(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:accounts_user_reset_link", args=[obj.pk]),
            gettext("Make a one-time link to set a new password"),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        moved = change and "organisation" in form.changed_data
        before_pk = form.initial.get("organisation") if moved else None
        before = Organisation.objects.filter(pk=before_pk).first() if before_pk else None
        super().save_model(request, obj, form, change)
        if moved:
            user_organisation_change_record(
                acting_user=_user(request), user=obj, organisation_before=before
            )

    def save_formset(self, request: HttpRequest, form: Form, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        # The formset writes nothing itself (commit=False only fills in what the admin's history
        # message needs): the roles service writes the change, checks the separation of duties
        # again and records the change in the audit trail.
        formset.save(commit=False)
        user = formset.instance  # the user just saved (the inline's parent)
        user_roles_set(acting_user=_user(request), user=user, roles=_roles(formset))

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<id>/reset-link/",
                self.admin_site.admin_view(self.reset_link_view),
                name="accounts_user_reset_link",
            )
        ]
        return own + list(super().get_urls())

    def _user_to_change(self, request: HttpRequest, id: str) -> User:
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return user  # type: ignore[no-any-return]

    def reset_link_view(self, request: HttpRequest, id: str) -> HttpResponse:
        """Make a one-time reset link for a user and show it, once, on the answer to the POST."""
        user = self._user_to_change(request, id)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": gettext("One-time reset link"),
        }
        if request.method == "POST":
            acting = _user(request)
            if acting is None:
                raise PermissionDenied
            try:
                link_path, expires = password_reset_link_issue(acting_user=acting, user=user)
            except PermissionError:
                raise PermissionDenied from None
            except ValidationError as exc:
                context["refusal"] = " ".join(exc.messages)
            else:
                context["link"] = request.build_absolute_uri(link_path)
                context["expires_at"] = expires
        return TemplateResponse(request, "admin/accounts/user/reset_link.html", context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page where an administrator sets a user's password (recorded by the admin
        site, ``object.updated.admin``): a superuser's only for a superuser."""
        user = self._user_to_change(request, id)
        if user.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        response: HttpResponse = super().user_change_password(  # type: ignore[misc]
            request, id, form_url
        )
        return response
