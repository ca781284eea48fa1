"""The filter of the group-work figures page: a programme, a province and a period of
group starts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.common.dates import EventDateField
from tandem.common.models import Province

from ..models import Programme


class FigureFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("All programmes"),
    )
    province = forms.ChoiceField(
        label=gettext_lazy("Province"),
        choices=[("", gettext_lazy("All provinces")), *Province.choices],
        required=False,
    )
    starts_from = EventDateField(label=gettext_lazy("Groups starting from"), required=False)
    starts_to = EventDateField(
        label=gettext_lazy("Groups starting until (inclusive)"), required=False
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_from"), data.get("starts_to")
        if start and end and start > end:
            self.add_error("starts_to", _("The end of the period cannot be before its start."))
        return data
