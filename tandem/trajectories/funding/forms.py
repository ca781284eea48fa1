from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.programmes.models import Project


class ProjectForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Funded by project"),
        queryset=Project.objects.select_related("call").order_by("name"),
        required=False,
        empty_label=_("— no project —"),
        help_text=_(
            "The project's call must fund this type of trajectory on its start day; otherwise "
            "a programme manager records an exception first."
        ),
    )
