"""Forms of the job start, job coaching, coaching contacts, retention checks and job end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation, User
from tandem.common.dates import EventDateField
from tandem.common.forms import with_blank
from tandem.common.text import NOTE_MAX, REASON_MAX, LongTextField

from ..models import ContractType


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.municipality})" if obj.municipality else obj.name


class JobStartForm(forms.Form):
    """A job start at an employer from the list, or at a new employer added on the way."""

    employer = EmployerChoiceField(
        label=_("Employer"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— a new employer (fill in below) —"),
    )
    new_employer_name = forms.CharField(
        label=_("Name of a new employer"),
        max_length=200,
        required=False,
        help_text=_("Only when the employer is not in the list."),
    )
    new_employer_municipality = forms.CharField(
        label=_("Municipality of the new employer"), max_length=100, required=False
    )
    started_on = EventDateField(label=_("Job started on"))
    contract_type = forms.ChoiceField(
        label=_("Contract type"), choices=with_blank(ContractType.choices)
    )
    job_title = forms.CharField(label=_("Job"), max_length=200, required=False)

    def __init__(self, *args: Any, employers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers

    def clean_started_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Record the job start once the job has started."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("employer")
        new_name = (data.get("new_employer_name") or "").strip()
        if chosen is None and not new_name and "employer" not in self.errors:
            self.add_error(
                "employer", _("Choose the employer from the list, or write a new employer's name.")
            )
        elif chosen is not None and new_name:
            self.add_error(
                "new_employer_name",
                _("You chose an employer from the list: leave the new employer's name empty."),
            )
        return data


class CoachUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation})" if obj.organisation else name


class JobCoachingForm(forms.Form):
    coach = CoachUserChoiceField(label=_("Job coach"), queryset=User.objects.none())
    employer_consent_on = EventDateField(
        label=_("Employer's consent given on"),
        required=False,
        help_text=_("Job coaching needs the employer to agree. Leave empty if they have not yet."),
    )
    started_on = EventDateField(
        label=_("Coaching starts on"),
        help_text=_("Coaching lasts at most six months from this day."),
    )

    def __init__(self, *args: Any, coaches: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coach"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = coaches
        self.fields["started_on"].initial = timezone.localdate()


class CoachingContactForm(forms.Form):
    on = EventDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    text = LongTextField(
        label=_("Note"),
        max_length=NOTE_MAX,
        rows=4,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class RetentionCheckForm(forms.Form):
    checked_on = EventDateField(label=_("Checked on"))
    still_employed = forms.TypedChoiceField(
        label=_("Is the person still in the job?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()


class JobEndForm(forms.Form):
    ended_on = EventDateField(label=_("Job ended on"))
    reason = LongTextField(
        label=_("What happened"),
        required=False,
        help_text=_("Shown in the trajectory's status history when it goes back to active."),
        max_length=REASON_MAX,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
