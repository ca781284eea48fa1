"""Forms of the trajectory itself (start, status, duo, hand-over, responsibilities, expert
support, caseload filter), and ``errors_renamed`` for the sub-packages' forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role, User
from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.models import LifeDomain
from tandem.common.text import LINE_MAX, NOTE_MAX, REASON_MAX, LongTextField
from tandem.programmes.models import Project

from .models import (
    ALLOWED_TRANSITIONS,
    ClosureReason,
    Side,
    Status,
    Trajectory,
    TrajectoryType,
)


class StartForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type of trajectory"), choices=with_blank(TrajectoryType.choices)
    )
    start_date = EventDateField(label=_("Start date"))
    status = forms.ChoiceField(
        label=_("Starts as"),
        choices=[(s, Status(s).label) for s in (Status.REFERRED, Status.INTAKE, Status.ACTIVE)],
        widget=forms.RadioSelect,
    )
    project = forms.ModelChoiceField(
        label=_("Funded by project"), queryset=Project.objects.order_by("name"), required=False
    )
    reason = LongTextField(
        label=_("Why"),
        required=False,
        help_text=_("Required when the trajectory does not start from a screening."),
        max_length=REASON_MAX,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    on = EventDateField(label=_("Date"))
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
        help_text=_("Only when the trajectory closes."),
    )
    qualification_gained = forms.BooleanField(
        label=_("Leaves with a qualification (certificate, diploma)"),
        required=False,
        help_text=_("Only when the trajectory closes."),
    )
    reason = LongTextField(
        label=_("Note"),
        required=False,
        max_length=REASON_MAX,
        rows=2,
    )

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[trajectory.status]
        to_status = self.fields["to_status"]
        assert isinstance(to_status, forms.ChoiceField)
        to_status.choices = with_blank((s.value, s.label) for s in Status if s in allowed)
        self.fields["on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Checked here as well as in the service, so the question before closing is only
        # asked of a closing that can go through.
        if data.get("to_status") == Status.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Choose why the trajectory closes."))
        return data


class UserChoiceField(forms.ModelChoiceField):
    """Users shown with their organisation: partners of several organisations share one list."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.organisation})"


class DuoForm(forms.Form):
    partner = UserChoiceField(
        label=_("Welfare partner"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("A welfare partner of another organisation (OCMW, CAW, …)."),
    )

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = (
            User.objects.filter(role_assignments__role=Role.WELFARE_PARTNER, is_active=True)
            .exclude(organisation_id=trajectory.organisation_id)
            .select_related("organisation")
            .order_by("organisation__name", "last_name")
        )


class HandoverForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("New lead mediator"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Why"), required=False, max_length=LINE_MAX)

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(
                role_assignments__role=Role.MEDIATOR,
                is_active=True,
                organisation_id=trajectory.organisation_id,
            )
            .exclude(pk=trajectory.lead_mediator_id)
            .order_by("last_name")
        )


class ResponsibilityForm(forms.Form):
    """One select per life domain: who leads it."""

    def __init__(
        self, *args: Any, current: dict[str, str], has_partner: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in Side.choices if has_partner or c[0] == Side.MEDIATOR]
        for domain in LifeDomain:
            stored = current.get(domain.value)
            self.fields[domain.value] = forms.ChoiceField(
                label=domain.label,
                choices=choices if stored else with_blank(choices),
                initial=stored,
            )


class ExpertRequestForm(forms.Form):
    question = LongTextField(
        label=_("What support do you ask for?"),
        max_length=NOTE_MAX,
    )


class ExpertLogForm(forms.Form):
    on = EventDateField(label=_("Date"))
    text = LongTextField(
        label=_("What did you do?"),
        max_length=NOTE_MAX,
    )
    done = forms.BooleanField(label=_("The support is finished"), required=False)


class CaseloadFilterForm(forms.Form):
    filters_a_list = True
    SORTS = [
        ("name", _("Name")),
        ("start", _("Start date")),
        ("last_contact", _("Days since last contact")),
        ("next_contact", _("Next contact")),
        ("overdue", _("Overdue actions")),
    ]
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open")), *((s.value, s.label) for s in Status if s != Status.CLOSED)],
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *TrajectoryType.choices]
    )
    no_contact = forms.ChoiceField(
        label=_("No contact since"),
        required=False,
        choices=[
            ("", _("Any last contact")),
            *((str(d), _("more than %(days)s days") % {"days": d}) for d in (30, 60, 90)),
        ],
        help_text=_("Trajectories without a contact (notes aside) in that many days, or none."),
    )
    mine = forms.BooleanField(label=_("Only where I am the lead or duo partner"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)


def errors_renamed(exc: ValidationError, renames: Mapping[str, str | None]) -> ValidationError:
    """A service's refusal with its field names turned into the form's (``renames``: the
    service's name → the form's, or None for above the form), so ``tandem.common.flows.submit``
    puts each message on the field the person fills in. A refusal without field names is
    returned as it is."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list[ValidationError]] = {}
    for name, messages in exc.error_dict.items():
        errors.setdefault(renames.get(name, name) or NON_FIELD_ERRORS, []).extend(messages)
    return ValidationError(errors)
