"""The administrator's API pages: register a client (its service user is made with it), change
its scopes, purpose, rate or switch it off, issue tokens (each shown once) and revoke them, and
read the request log. Every change is audited (``AuditedAdminMixin`` and the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import case_roles
from tandem.accounts.models import Role

from .models import ApiClient, ApiRequest, ApiToken
from .scopes import Scope
from .services import api_client_register, api_client_update, api_token_issue, api_token_revoke


def client_roles() -> list[tuple[str, Any]]:
    """The roles a service user may have: the case roles (no administrator acts through the
    API)."""
    return [(r.value, r.label) for r in Role if r in case_roles()]


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    role = forms.ChoiceField(
        label=gettext_lazy("role of the service user"),
        choices=[("", "---------")],
        help_text=gettext_lazy(
            "The client acts as a user of its organisation with this role: it sees and does "
            "what such a user may."
        ),
    )

    class Meta:
        model = ApiClient
        fields = ["organisation", "name", "purpose", "scopes", "requests_per_minute", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [("", "---------"), *client_roles()]  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["role"]
            for name in ("organisation", "name"):
                self.fields[name].disabled = True

    def _post_clean(self) -> None:
        # The service user is made by the service (api_client_register) when the form is saved.
        if self.instance.pk:
            super()._post_clean()  # type: ignore[misc]


@admin.action(description=gettext_lazy("Issue a token (shown once)"), permissions=["change"])
def issue_tokens(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[ApiClient]
) -> TemplateResponse | None:
    issued = []
    for client in queryset.filter(is_active=True).order_by("name"):
        token, raw = api_token_issue(acting_user=request.user, client=client)  # type: ignore[arg-type]
        issued.append({"client": client, "token": raw, "expires_at": token.expires_at})
    if not issued:
        modeladmin.message_user(request, _("Only an active client gets a token."), messages.ERROR)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("API tokens"),
        "issued": issued,
        "opts": modeladmin.model._meta,
    }
    response = TemplateResponse(request, "admin/api/tokens_issued.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "organisation", "service_user", "is_active", "requests_per_minute")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation__name")
    readonly_fields = ("service_user",)
    actions = (issue_tokens,)

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        fields = ["organisation", "name", "purpose", "scopes", "requests_per_minute"]
        return [*fields, "role"] if obj is None else [*fields, "is_active", "service_user"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            api_client_update(
                acting_user=request.user,  # type: ignore[arg-type]
                client=obj,
                purpose=data["purpose"],
                scopes=data["scopes"],
                requests_per_minute=data["requests_per_minute"],
                is_active=data["is_active"],
            )
            return
        client = api_client_register(
            acting_user=request.user,  # type: ignore[arg-type]
            organisation=data["organisation"],
            name=data["name"],
            purpose=data["purpose"],
            scopes=data["scopes"],
            role=data["role"],
            requests_per_minute=data["requests_per_minute"],
        )
        # The admin's object becomes the registered client (for its history and redirect).
        for field in ApiClient._meta.concrete_fields:
            setattr(obj, field.attname, getattr(client, field.attname))
        obj._state.adding = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a client off instead: its requests and tokens stay in the log


@admin.action(description=gettext_lazy("Revoke the chosen tokens"), permissions=["change"])
def revoke_tokens(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    for token in queryset:
        api_token_revoke(acting_user=request.user, token=token)  # type: ignore[arg-type]
    modeladmin.message_user(request, _("The tokens are revoked."), messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("__str__", "client", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    readonly_fields = (
        "client",
        "prefix",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "issued_by",
    )
    fields = readonly_fields
    actions = (revoke_tokens,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued from the client list ("Issue a token"), shown once

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiRequest)
class ApiRequestAdmin(admin.ModelAdmin):
    list_display = ("at", "client", "method", "route", "status")
    list_filter = ("status", "method")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
