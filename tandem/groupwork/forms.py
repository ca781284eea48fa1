"""Forms of the group-work catalogue: a module of a programme. The forms of groups, sessions,
enrolment and attendance are in ``tandem.groupwork.enrolment.forms``; the network map's in
``tandem.groupwork.networkmap.forms``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.common.forms import with_blank
from tandem.common.text import NOTE_MAX, LongTextField

from .models import Module, Theme


class ModuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=with_blank(Theme.choices))
    session_count = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=60)
    capacity = forms.IntegerField(
        label=_("Places per group"),
        min_value=1,
        max_value=40,
        help_text=_("Small groups work best: 8 unless there is a reason for more or fewer."),
    )
    description = LongTextField(
        label=_("Description"),
        required=False,
        max_length=NOTE_MAX,
    )
    is_active = forms.BooleanField(label=_("Open for enrolment"), required=False, initial=True)

    @classmethod
    def initial_for(cls, module: Module | None) -> dict[str, Any]:
        """A module's values to change it; for a new module, the default group size."""
        if module is not None:
            return {f: getattr(module, f) for f in cls.base_fields}
        return {"capacity": Module._meta.get_field("capacity").get_default()}
