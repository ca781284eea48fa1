"""The self-assessment's form: the date, a level of 1–5 per statement (radio buttons, easy on a
phone), and that it was filled in together with the participant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import EventDateField

from ..models import STATEMENTS, SelfAssessment
from .rules import ITEMS, SCALE


class SelfAssessmentForm(forms.Form):
    assessed_on = EventDateField(
        label=_("Filled in on"),
        help_text=_("The day you filled it in with the participant."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ITEMS:
            self.fields[name] = forms.TypedChoiceField(
                label=STATEMENTS[name],
                choices=[(value, f"{value} {label}") for value, label in SCALE.items()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level from 1 to 5.")},
            )
        self.fields["with_participant"] = forms.BooleanField(
            label=_("Filled in together with the participant"),
            required=False,
        )

    def levels(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in ITEMS}

    @staticmethod
    def initial_from(assessment: SelfAssessment | None) -> dict[str, Any]:
        if assessment is None:
            return {"assessed_on": timezone.localdate()}
        return {
            "assessed_on": assessment.assessed_on,
            "with_participant": True,
            **{name: getattr(assessment, name) for name in ITEMS},
        }
