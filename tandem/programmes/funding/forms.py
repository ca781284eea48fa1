"""The programme manager's form to record a funding exception."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.common.forms import with_blank
from tandem.common.text import REASON_MAX

from ..models import Funded
from . import selectors


class FundingExceptionForm(forms.Form):
    trajectory = forms.UUIDField(
        label=_("Trajectory reference"),
        help_text=_(
            "The reference the mediator gives you: the code in the address of the trajectory "
            "page. You see nothing of the person."
        ),
    )
    kind = forms.ChoiceField(
        label=_("The exception covers"),
        choices=with_blank(Funded.choices),
        help_text=_("The trajectory's own type (the project funds the trajectory) or group work."),
    )
    reason = forms.CharField(
        label=_("Why the exception is justified"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX,
        help_text=_("What an ESF auditor reads: the decision, its ground and who agreed."),
    )

    def clean_trajectory(self) -> Any:
        trajectory = selectors.trajectory_by_reference(self.cleaned_data["trajectory"])
        if trajectory is None:
            raise forms.ValidationError(_("No trajectory has this reference."))
        return trajectory
