"""Forms of the plan: a goal in a life domain, an action under it, an action's new status, a
contact or note (with the planned contact it was, and the next one), a planned contact, and a
planned contact cancelled or missed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, LongTextField

from ..models import ActionOwner, ActionStatus, Contact, ContactKind, ContactStatus

# A planned contact is a meeting: never a note.
PLANNABLE_KINDS = [(k, label) for k, label in ContactKind.choices if k != ContactKind.NOTE]


class TimeInput(forms.TimeInput):
    """The browser's time picker."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _planned_label(c: Contact) -> str:
    return f"{c.on:%d/%m/%Y} {c.at:%H:%M} · {c.get_kind_display()}" + (
        f" · {c.purpose}" if c.purpose else ""
    )


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Life domain"), choices=with_blank(LifeDomain.choices))
    description = forms.CharField(label=_("Goal"), max_length=300)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Who does it"), choices=with_blank(ActionOwner.choices))
    due_on = EventDateField(label=_("Due date"), required=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=with_blank(ActionStatus.choices))
    reason = forms.CharField(label=_("Why dropped"), required=False, max_length=300)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(ContactKind.choices))
    on = EventDateField(label=_("Date"))
    planned = forms.TypedChoiceField(
        label=_("This was the planned contact of"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The planned contact is then marked held."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    domain = forms.ChoiceField(
        label=_("Life domain"),
        required=False,
        choices=[("", "—"), *LifeDomain.choices],
        help_text=_(
            "Notes about mental or physical health, addiction or justice are shown only to the duo."
        ),
    )
    text = LongTextField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        rows=4,
    )
    next_on = EventDateField(label=_("Next contact planned on"), required=False)
    next_at = forms.TimeField(label=_("Next contact at"), required=False, widget=TimeInput())
    next_kind = forms.ChoiceField(
        label=_("Kind of the next contact"), required=False, choices=with_blank(PLANNABLE_KINDS)
    )

    def __init__(self, *args: Any, planned: list[Contact] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        planned = planned or []
        self._planned = {c.pk: c for c in planned}
        field = self.fields["planned"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((c.pk, _planned_label(c)) for c in planned)]
        if not planned:
            del self.fields["planned"]

    def clean_planned(self) -> Contact | None:
        pk = self.cleaned_data.get("planned")
        return self._planned.get(pk) if pk is not None else None


class PlannedContactForm(forms.Form):
    """Plan a contact: a day, a start time, how long, the kind and the place, and what for."""

    on = EventDateField(label=_("Date"))
    at = forms.TimeField(label=_("Time"), widget=TimeInput())
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=5, max_value=480
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(PLANNABLE_KINDS))
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("For a home visit the person's address is on the day list."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=200,
        help_text=_(
            "A few words, shown in the agenda and on the printed day list: no health or other "
            "sensitive details."
        ),
    )


# Where a planned contact can go from the agenda or the trajectory page without a note.
CLOSE_CHOICES = [
    (ContactStatus.CANCELLED.value, ContactStatus.CANCELLED.label),
    (ContactStatus.NO_SHOW.value, ContactStatus.NO_SHOW.label),
]


class ContactStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), choices=with_blank(CLOSE_CHOICES))
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=300)
