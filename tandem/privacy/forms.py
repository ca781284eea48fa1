from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.audit.models import PURPOSE_LABELS
from tandem.common.dates import EventDateField
from tandem.common.text import REASON_MAX, LongTextField

from . import selectors


class AccessLogSearchForm(forms.Form):
    """The DPO's search of the access log. Posted, never a query string: a national number
    must not end up in a URL, browser history or server log."""

    person = forms.CharField(
        label=_("Person: national number (INSZ) or reference"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    username = forms.CharField(
        label=_("User name of who read"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_from = EventDateField(label=_("From"), required=False)
    date_to = EventDateField(label=_("To (inclusive)"), required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose of the read"),
        required=False,
        choices=[("", _("Every purpose")), *PURPOSE_LABELS.items()],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> str:
        text = self.cleaned_data["person"].strip()
        self.found_person = selectors.dpo_person_find(self.user, text) if text else None
        if text and self.found_person is None:
            raise forms.ValidationError(
                _(
                    "No person of your organisation has this national number or reference. "
                    "Check the number (11 digits) or paste the reference from the address bar."
                )
            )
        return text

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        self.found_user = selectors.user_find(name) if name else None
        if name and self.found_user is None:
            raise forms.ValidationError(_("There is no user with this user name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def search(self) -> selectors.AccessLogSearch:
        return selectors.AccessLogSearch(
            person=getattr(self, "found_person", None),
            user=getattr(self, "found_user", None),
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            purpose=self.cleaned_data.get("purpose") or "",
        )


class ErasureForm(forms.Form):
    reason = LongTextField(
        label=_("Why the data is erased"),
        help_text=_(
            "The request and its date, e.g. “Letter of the person of 3 March 2027”. It goes "
            "with the data: the audit trail keeps only that a reason was given, so keep the "
            "request itself in your register of requests."
        ),
        max_length=REASON_MAX,
    )
    confirm = forms.BooleanField(
        label=_("I understand that this erases the data for good and cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why the data is erased."))
        return reason
