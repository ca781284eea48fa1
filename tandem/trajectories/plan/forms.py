"""Forms of the plan: a goal in a life domain, an action under it, an action's new status, and
a contact or note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, LongTextField

from ..models import ActionOwner, ActionStatus, ContactKind


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
    next_contact_on = EventDateField(label=_("Next contact planned on"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
