from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation, RoleAssignment, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "code", "kind", "province", "municipality", "parent")
    list_filter = ("kind", "province")
    search_fields = ("name", "code", "municipality")
    autocomplete_fields = ("parent",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (RoleAssignmentInline,)
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("organisation__kind", "role_assignments__role", "is_active")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation",)}),
    )
