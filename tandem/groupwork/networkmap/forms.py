"""The form for drawing a network map on a phone: the date, and one short row per tie (who,
person or organisation, relation, strength, strained), with empty rows for new ties and a
box to remove a tie. Untouched empty rows are ignored."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from tandem.common.dates import EventDateField

from ..models import NetworkMap, NetworkTie, Relation, TieKind
from .services import LABEL_MAX, MAX_TIES

STRENGTH_CHOICES = [(1, _("weak")), (2, _("medium")), (3, _("strong"))]


class NetworkMapForm(forms.Form):
    drawn_on = EventDateField(
        label=_("Drawn on"), help_text=_("The day you drew the map with the participant.")
    )

    @staticmethod
    def initial_from(network_map: NetworkMap | None) -> dict[str, Any]:
        return {"drawn_on": network_map.drawn_on if network_map else timezone.localdate()}


class TieForm(forms.Form):
    label = forms.CharField(
        label=_("Who"),
        max_length=LABEL_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Write who it is.")},
    )
    kind = forms.ChoiceField(
        label=_("Person or organisation"),
        choices=TieKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose person or organisation.")},
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[("", "—"), *Relation.choices],
        error_messages={"required": _("Choose a relation.")},
    )
    strength = forms.TypedChoiceField(
        label=_("Strength"),
        choices=STRENGTH_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a strength.")},
    )
    strained = forms.BooleanField(label=_("Strained (costs energy)"), required=False)


class BaseTieFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": ngettext_lazy(
            "At most %(num)d tie on one map.", "At most %(num)d ties on one map.", "num"
        ),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this tie")

    def ties(self) -> list[dict[str, Any]]:
        """The rows to save, in their order: filled in and not marked for removal."""
        rows = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # an empty row left empty
            if form.cleaned_data.get("DELETE"):
                continue
            rows.append({name: form.cleaned_data[name] for name in TieForm.base_fields})
        return rows

    @staticmethod
    def initial_from(ties: list[NetworkTie]) -> list[dict[str, Any]]:
        return [{name: getattr(tie, name) for name in TieForm.base_fields} for tie in ties]


TieFormSet = cast(
    "type[BaseTieFormSet]",
    forms.formset_factory(
        TieForm,
        formset=BaseTieFormSet,
        extra=3,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_TIES,
        validate_max=True,
    ),
)
