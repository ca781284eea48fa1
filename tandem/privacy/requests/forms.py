"""The register's forms: recording a request (posted: the person is found by national number or
reference, never through a URL), filtering the register, and recording what was done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.text import NOTE_MAX, REASON_MAX, LongTextField
from tandem.registry.models import Person

from .. import selectors as privacy_selectors
from .models import RequestChannel, RequestKind
from .selectors import Show


class RequestRegisterForm(forms.Form):
    person = forms.CharField(
        label=_("Person: national number (INSZ) or reference"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("As in the access log search; the person must be one your organisation holds."),
    )
    kind = forms.ChoiceField(
        label=_("What the person asks"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("How the request came in"),
        choices=RequestChannel.choices,
        widget=forms.RadioSelect,
    )
    received_on = EventDateField(
        label=_("Received on"),
        help_text=_("The day the request reached your organisation: the deadline counts from it."),
    )
    note = LongTextField(
        label=_("What was asked (optional)"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_(
            "In a few words, e.g. “copy of the whole file by e-mail”. Erased with the "
            "person's data."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.found_person: Person | None = None

    def clean_person(self) -> str:
        text = self.cleaned_data["person"].strip()
        self.found_person = privacy_selectors.dpo_person_find(self.user, text)
        if self.found_person is None:
            raise forms.ValidationError(
                _(
                    "No person of your organisation has this national number or reference. "
                    "Check the number (11 digits) or paste the reference from the address bar."
                )
            )
        return text


class RequestFilterForm(forms.Form):
    """The register's filters (a query string: they hold no name)."""

    filters_a_list = True
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Show.OPEN, _("Open")),
            (Show.OVERDUE, _("Overdue")),
            (Show.CLOSED, _("Closed")),
            (Show.ALL, _("All")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        required=False,
        choices=with_blank(RequestKind.choices, _("Every kind")),
    )


class Action:
    START = "start"
    EXTEND = "extend"
    DONE = "done"
    REFUSE = "refuse"


ACTIONS = (Action.START, Action.EXTEND, Action.DONE, Action.REFUSE)


class RequestActionForm(forms.Form):
    """What the DPO did: one text and the button of the move."""

    # Sent by the button pressed (name="action"), never chosen from a list.
    action = forms.CharField(max_length=10, widget=forms.HiddenInput)
    text = LongTextField(
        label=_("Answer given, or reason"),
        required=False,
        max_length=REASON_MAX,
        help_text=_(
            "Needed to refuse (the ground, e.g. art. 12(5) GDPR) and to extend the deadline "
            "(why, as told to the person). Name no one: the text is erased with the person's data."
        ),
    )

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        if action not in ACTIONS:
            raise forms.ValidationError(_("Press one of the buttons."))
        return str(action)
