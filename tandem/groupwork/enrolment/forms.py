"""Forms of enrolment: planning a group (intake moment) and moving a session, the mediator's
request, the partner's decision, leaving, attendance, and what the coach writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.text import NOTE_MAX, LongTextField
from tandem.trajectories.models import Perspective

from ..models import AttendanceStatus, Enrolment, LeaveReason, Module, Programme


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.get_full_name() or obj.username


class IntakeForm(forms.Form):
    starts_on = EventDateField(label=_("First session"))
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    every_days = forms.IntegerField(
        label=_("Days between sessions"),
        min_value=1,
        max_value=31,
        initial=7,
        help_text=_("7: the same day every week. Each session can be moved afterwards."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    coach = CoachChoiceField(label=_("Coach"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = programme.coaches.order_by("first_name", "last_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A session ends after it starts."))
        return data


class SessionForm(forms.Form):
    on = EventDateField(label=_("Date"))
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    coach = CoachChoiceField(label=_("Coach"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = programme.coaches.order_by("first_name", "last_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A session ends after it starts."))
        return data


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Module) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.get_theme_display()})"


class EnrolmentRequestForm(forms.Form):
    module = ModuleChoiceField(
        label=_("Module"), queryset=Module.objects.none(), widget=forms.RadioSelect
    )
    note = LongTextField(
        label=_("Note for the partner"),
        required=False,
        help_text=_(
            "What the group needs to know: language, hours that are possible, childcare. "
            "No health or justice details: the coach is not the duo."
        ),
        max_length=NOTE_MAX,
    )

    def __init__(self, *args: Any, modules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = LongTextField(
        label=_("Why declined"),
        required=False,
        help_text=_("Needed when you decline; the mediator reads it."),
        max_length=NOTE_MAX,
        rows=2,
    )


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=with_blank(LeaveReason.choices))
    note = LongTextField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        rows=2,
    )
    on = EventDateField(label=_("Date"), validators=[_not_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AttendanceForm(forms.Form):
    """One radio group per participant: what is recorded shows; someone not recorded yet
    starts with nothing ticked, so nobody is counted present without the coach saying so.

    The coach may say it once for the group: ticking "the others were present" records
    everyone left untouched as present, so on the day only the exceptions need a tap.
    """

    others_present = forms.BooleanField(
        label=_("Everyone I did not mark was present"),
        required=False,
    )

    def __init__(
        self, *args: Any, participants: list[Enrolment], recorded: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        for enrolment in participants:
            person = enrolment.trajectory.person
            self.fields[f"p{enrolment.pk}"] = forms.ChoiceField(
                label=f"{person.first_name} {person.last_name}",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect(attrs={"class": "attendance-choice"}),
                initial=recorded.get(enrolment.pk),
                # Required unless the coach ticks "the others were present" (see clean).
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for enrolment in self.participants:
            name = f"p{enrolment.pk}"
            if name in self.errors or cleaned.get(name):
                continue
            if cleaned.get("others_present"):
                cleaned[name] = AttendanceStatus.PRESENT
            else:
                self.add_error(
                    name,
                    _(
                        "Choose present, excused or absent, or tick “Everyone I did not "
                        "mark was present”."
                    ),
                )
        return cleaned

    def statuses(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data[f"p{e.pk}"] for e in self.participants}

    def rows(self) -> list[tuple[Enrolment, forms.BoundField]]:
        return [(e, self[f"p{e.pk}"]) for e in self.participants]


class NoteForm(forms.Form):
    text = LongTextField(
        label=_("Observation"),
        help_text=_(
            "What the mediator should know from the group: strengths, progress, what helps. "
            "No health or justice details."
        ),
        max_length=NOTE_MAX,
        rows=4,
    )


class PopInputForm(forms.Form):
    strengths = LongTextField(
        label=_("Strengths seen in the group"),
        required=False,
        max_length=NOTE_MAX,
    )
    job_target = forms.CharField(label=_("Job target"), max_length=200, required=False)
    perspective = forms.ChoiceField(
        label=_("Participation perspective"),
        choices=[("", _("No proposal")), *Perspective.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    work_plan = LongTextField(
        label=_("Next steps on work"),
        required=False,
        max_length=NOTE_MAX,
    )
    welfare_plan = LongTextField(
        label=_("Next steps on welfare"),
        required=False,
        max_length=NOTE_MAX,
    )
