"""The user list's second-factor actions: issue one-time enrolment codes, reset devices."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import User
from .twofactor import devices_reset, enrolment_code_issue


@admin.action(
    description=gettext_lazy("Issue an enrolment code (to link a first device)"),
    permissions=["change"],
)
def issue_enrolment_codes(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[User]
) -> TemplateResponse | None:
    """Issue a code for each chosen user and show the codes once; only their hashes are kept."""
    issued = []
    for user in queryset.order_by("username"):
        try:
            enrolment, code = enrolment_code_issue(acting_user=request.user, user=user)  # type: ignore[arg-type]
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"{user.username}: {' '.join(exc.messages)}", messages.ERROR
            )
            continue
        issued.append({"user": user, "code": code, "expires_at": enrolment.expires_at})
    if not issued:
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Enrolment codes"),
        "issued": issued,
        "opts": modeladmin.model._meta,
    }
    response = TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.action(
    description=gettext_lazy("Reset second-factor devices (lost phone or passkey)"),
    permissions=["change"],
)
def reset_second_factor(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    """Remove every device of each chosen user; each is audited and the user sees a notice at
    their next login."""
    for user in queryset.order_by("username"):
        removed = devices_reset(acting_user=request.user, user=user)  # type: ignore[arg-type]
        modeladmin.message_user(
            request,
            _(
                "%(user)s: %(count)d devices removed. They will see a notice at their next "
                "login and need a new enrolment code."
            )
            % {"user": user.username, "count": removed},
            messages.SUCCESS,
        )
