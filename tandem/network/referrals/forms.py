"""Forms of the referral pages. The rules (consent, who may override, which transitions,
reason and outcome) live in ``referrals.services``; the views put its errors on these fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import PeriodDateField, PeriodForm
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, REASON_MAX, LongTextField

from ..models import ReferralStatus, Service


def _domain_words(codes: set[str]) -> str:
    return ", ".join(str(d.label).lower() for d in LifeDomain if d.value in codes)


class ServiceChoiceField(forms.ModelChoiceField):
    """A service with its organisation and what the person consents to share with it."""

    def __init__(self, *args: Any, consented: Mapping[int, set[str]], **kwargs: Any) -> None:
        self.consented = consented
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Service)
        domains = self.consented.get(obj.organisation_id, set())
        shared = (
            _("consent: %(domains)s") % {"domains": _domain_words(domains)}
            if domains
            else _("no consent")
        )
        return f"{obj.name} — {obj.organisation.name} ({shared})"


class ReferralSendForm(forms.Form):
    question = LongTextField(
        label=_("Question for the receiver"),
        help_text=_(
            "What you ask of the service, in plain words. The receiver reads it with the data "
            "the person's consent covers."
        ),
        max_length=NOTE_MAX,
        rows=4,
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_(
            "A referral to a VDAB office waits in its intake queue: an urgent one comes first."
        ),
    )
    override_reason = LongTextField(
        label=_("Why refer without consent"),
        required=False,
        help_text=_(
            "Only when the person cannot consent now and the referral cannot wait. Then only "
            "name and contact travel, and your reason is kept in the audit trail."
        ),
        max_length=REASON_MAX,
    )

    def __init__(
        self,
        *args: Any,
        services: Any,
        consented: Mapping[int, set[str]],
        can_override: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "service": ServiceChoiceField(
                label=_("Service"),
                queryset=services,
                consented=consented,
                empty_label="—",
                help_text=_("A service of another organisation, from the directory."),
            ),
            **self.fields,
        }
        if not can_override:
            del self.fields["override_reason"]


class ReferralTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = LongTextField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed when you decline; useful for no capacity, not reached, withdrawn."),
        max_length=REASON_MAX,
        rows=2,
    )
    outcome = LongTextField(
        label=_("Outcome"),
        required=False,
        help_text=_("Needed when the referral is completed: what came of it."),
        max_length=NOTE_MAX,
        rows=2,
    )
    note = LongTextField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        rows=2,
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, ReferralStatus(s).label) for s in statuses]


class ReferralNoteForm(forms.Form):
    note = LongTextField(
        label=_("Progress update"),
        help_text=_("What happened since the last update; the status stays the same."),
        max_length=NOTE_MAX,
        rows=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)


STATUS_FILTERS = [
    ("open", _("Open")),
    ("closed", _("Closed")),
    ("", _("All")),
]


class InboxFilterForm(forms.Form):
    filters_a_list = True
    status = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("new", _("New: not answered yet")),
            ("open", _("Open")),
            ("answered", _("Answered")),
            ("closed", _("Closed")),
            ("", _("All")),
        ],
        required=False,
    )


class SentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        choices=[("overdue", _("Overdue")), *STATUS_FILTERS],
        required=False,
    )


class FigurePeriodForm(PeriodForm):
    """The period of the referral figures, as ``?from=&to=`` (referrals sent on both days
    count); the view fills in the default (``selectors.default_figure_period``)."""

    date_from = PeriodDateField(label=_("Sent from"))
    date_to = PeriodDateField(label=_("Sent until (inclusive)"))
