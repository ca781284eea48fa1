"""The queue page's form: one per waiting item (prefixed by the item), to take it (for oneself
or a colleague), send it back or forward it, with a reason for the last two."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation, User
from tandem.common.text import REASON_MAX, LongTextField

from .models import Intake
from .services import Decision


def prefix_for(intake: Intake) -> str:
    return f"i{intake.public_id.hex[:12]}"


class IntakeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.TAKE, _("Take")),
            (Decision.SEND_BACK, _("Send back to the sender")),
            (Decision.FORWARD, _("Forward to another office")),
        ],
        widget=forms.RadioSelect,
    )
    assignee = forms.TypedChoiceField(
        label=_("Take for"), coerce=int, required=False, empty_value=None
    )
    office = forms.TypedChoiceField(
        label=_("Forward to"), coerce=int, required=False, empty_value=None
    )
    reason = LongTextField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        rows=2,
        help_text=_("Required to send back or forward; the sender reads it."),
    )

    def __init__(
        self,
        *args: Any,
        colleagues: list[User],
        offices: list[Organisation],
        me: User,
        forward: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not forward:
            # An item that carries a network referral is taken or sent back (the referral
            # names its receiver; the sender refers elsewhere).
            decision: Any = self.fields["decision"]
            decision.choices = [c for c in decision.choices if c[0] != Decision.FORWARD]
            del self.fields["office"]
        assignee: Any = self.fields["assignee"]
        assignee.choices = [("", _("Myself"))] + [
            (u.pk, u.get_full_name() or u.username) for u in colleagues if u.pk != me.pk
        ]
        if "office" in self.fields:
            office: Any = self.fields["office"]
            office.choices = [("", "—")] + [(o.pk, o.name) for o in offices]
