from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation, OrganisationKind
from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, REASON_MAX, LongTextField
from tandem.registry.intake.models import Urgency

from .models import ChecklistVersion, Motivation, Outlook, Route


class ScreeningForm(forms.Form):
    """The signal checklist of one version, grouped by life domain, plus the two questions the
    route depends on."""

    conducted_on = EventDateField(label=_("Date of the conversation"))
    motivation = forms.ChoiceField(
        label=_("Motivation to work"), choices=Motivation.choices, widget=forms.RadioSelect
    )
    outflow_within_two_years = forms.ChoiceField(
        label=_("Is work or training realistic within two years?"),
        choices=Outlook.choices,
        widget=forms.RadioSelect,
    )
    notes = LongTextField(
        label=_("Notes"),
        required=False,
        help_text=_("Only what is needed for the referral. No diagnoses."),
        max_length=NOTE_MAX,
    )

    def __init__(self, *args: Any, checklist: ChecklistVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["conducted_on"].initial = timezone.localdate()
        for signal in checklist.signals.all():
            self.fields[f"signal_{signal.code}"] = forms.BooleanField(
                label=signal.question, help_text=signal.help_text, required=False
            )

    def clean_conducted_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["conducted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The conversation cannot be in the future."))
        return value

    def domains(self) -> list[dict[str, Any]]:
        """The signal fields grouped by life domain, in the domains' fixed order."""
        groups: dict[str, list[forms.BoundField]] = {d.value: [] for d in LifeDomain}
        for signal in self.checklist.signals.all():
            groups[signal.domain].append(self[f"signal_{signal.code}"])
        labels = dict(LifeDomain.choices)
        return [{"code": d, "label": labels[d], "fields": f} for d, f in groups.items() if f]

    def present_codes(self) -> list[str]:
        return [
            name.removeprefix("signal_")
            for name, value in self.cleaned_data.items()
            if name.startswith("signal_") and value
        ]


class RouteChoiceForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=with_blank(Route.choices))
    reason = LongTextField(
        label=_("Why this route"),
        required=False,
        help_text=_("Required when you choose another route than the suggested one."),
        max_length=REASON_MAX,
    )


class ReferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("VDAB office"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE, parent__isnull=False
        ).order_by("name"),
    )
    note = LongTextField(
        label=_("Message for the mediator"),
        required=False,
        max_length=NOTE_MAX,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text=_("Urgent items come first in the office's intake queue."),
    )
