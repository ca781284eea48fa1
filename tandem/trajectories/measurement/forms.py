from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import EventDateField
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, LongTextField

from ..models import ScaleLevel

LEVEL_PREFIX = "level_"


class AssessmentForm(forms.Form):
    """An assessment: its date, whether the client agreed, a note, and for every life domain a
    level of the scale (empty: not assessed this time)."""

    on = EventDateField(label=_("Date of the assessment"))
    agreed_with_client = forms.BooleanField(
        label=_("The client and I agreed these readings together"), required=False
    )
    note = LongTextField(
        label=_("Note"),
        required=False,
        help_text=_("What the readings rest on, in a few words. No diagnoses."),
        max_length=NOTE_MAX,
    )

    def __init__(
        self,
        *args: Any,
        levels: list[ScaleLevel],
        domains: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.domain_codes = domains if domains is not None else list(LifeDomain.values)
        labels = dict(LifeDomain.choices)
        choices = [("", _("Not assessed"))] + [
            (level.value, f"{level.value} – {level.label}") for level in levels
        ]
        for domain in self.domain_codes:
            self.fields[f"{LEVEL_PREFIX}{domain}"] = forms.TypedChoiceField(
                label=labels[domain],
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of an assessment cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.readings():
            raise forms.ValidationError(_("Give a level for at least one life domain."))
        return data

    def level_fields(self) -> list[forms.BoundField]:
        return [self[f"{LEVEL_PREFIX}{domain}"] for domain in self.domain_codes]

    def readings(self) -> dict[str, int]:
        """The levels given: life domain → level."""
        return {
            domain: value
            for domain in self.domain_codes
            if (value := self.cleaned_data.get(f"{LEVEL_PREFIX}{domain}")) is not None
        }

    def level_field_names(self) -> dict[str, str]:
        """Life domain → the name of its level field (where the service's error about a
        domain goes)."""
        return {domain: f"{LEVEL_PREFIX}{domain}" for domain in self.domain_codes}
