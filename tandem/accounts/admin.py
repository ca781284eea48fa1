from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.access.capabilities import organisation_roles

from .admin_actions import issue_enrolment_codes, reset_second_factor
from .admin_users import AuditedUserAdminMixin
from .models import Organisation, Role, RoleAssignment, User
from .services import separation_of_duties_check


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "code", "kind", "province", "municipality", "parent")
    list_filter = ("kind", "province")
    search_fields = ("name", "code", "municipality")
    autocomplete_fields = ("parent",)


class RoleAssignmentFormSet(BaseInlineFormSet):
    """The roles of a user, checked against the user's organisation (the form's, as entered):
    a role in ``organisation_roles()`` (``tandem.access.capabilities``) needs one; the admin
    role never goes with a case role (separation of duties, ``services.py``)."""

    def clean(self) -> None:
        super().clean()
        roles = {
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        }
        separation_of_duties_check(roles)
        needing = [Role(code).label for code in Role.values if code in roles & organisation_roles()]
        if needing and self.instance.organisation_id is None:
            raise ValidationError(
                gettext(
                    "Choose the user's organisation: these roles work with people through it: "
                    "%(roles)s."
                )
                % {"roles": ", ".join(str(label) for label in needing)},
                code="organisation_required",
            )


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    extra = 1


@admin.register(User)
class UserAdmin(AuditedUserAdminMixin, DjangoUserAdmin):  # type: ignore[misc]
    inlines = (RoleAssignmentInline,)
    actions = (issue_enrolment_codes, reset_second_factor)
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("organisation__kind", "role_assignments__role", "is_active")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation",)}),
        AuditedUserAdminMixin.reset_link_fieldset,
    )
    # The add form asks for the organisation too: most roles need one (see the roles' formset).
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (
            _("Organisation"),
            {
                "fields": ("organisation",),
                "description": _("Required for every role that works with people."),
            },
        ),
    )
