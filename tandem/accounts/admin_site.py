"""Django's admin site, closed to staff whose login still waits for its second factor.

``TwoFactorMiddleware`` already sends such a user to the code step from every page; the site
checks again itself, so the admin stays closed if the middleware is ever left out.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class TandemAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: this module is loaded with INSTALLED_APPS, before any model.
        from .twofactor import needs_second_factor

        return super().has_permission(request) and not needs_second_factor(request.user)


class TandemAdminConfig(AdminConfig):
    default_site = "tandem.accounts.admin_site.TandemAdminSite"
