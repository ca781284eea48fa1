"""Forms of the POP: the draft (one form for a new version and for editing a draft) and the
sign-off date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import EventDateField
from tandem.common.text import NOTE_MAX, REASON_MAX, LongTextField

from ..models import Perspective, PopReport


class PopForm(forms.Form):
    job_target = forms.CharField(
        label=_("Job target"),
        max_length=200,
        required=False,
        help_text=_(
            "The job the person aims for, in their words. Leave empty when work is not "
            "feasible now."
        ),
    )
    perspective = forms.ChoiceField(
        label=_("Participation perspective"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
    )
    work_plan = LongTextField(
        label=_("Next steps on work"),
        required=False,
        max_length=NOTE_MAX,
        rows=5,
    )
    welfare_plan = LongTextField(
        label=_("Next steps on welfare"),
        required=False,
        help_text=_("Actions in other life domains are referred to the network."),
        max_length=NOTE_MAX,
        rows=5,
    )

    @classmethod
    def initial_from(cls, pop: PopReport | None) -> dict[str, Any]:
        if pop is None:
            return {}
        return {name: getattr(pop, name) for name in cls.base_fields}


class SignOffForm(forms.Form):
    on = EventDateField(
        label=_("Signed off on"), help_text=_("The day the person and you agreed this version.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The sign-off date cannot be in the future."))
        return value


class RerouteJustificationForm(forms.Form):
    """The duo's answer when the POP calls for re-routing and the W² trajectory goes on."""

    reason = LongTextField(
        label=_("Why this W² trajectory continues"),
        max_length=REASON_MAX,
        rows=3,
        help_text=_(
            "For example: the person expects to move on to training within two years after "
            "all. The reason stays in the file; the audit trail notes that one was given."
        ),
    )
