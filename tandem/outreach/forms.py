"""Forms of outreach: the phone-sized contact form, a find place, and the conversion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation, OrganisationKind
from tandem.common.dates import BirthDateField, EventDateField
from tandem.common.forms import CHOOSE_LABEL, with_blank
from tandem.common.models import Province
from tandem.common.text import NOTE_MAX, LongTextField
from tandem.network.models import Evidence
from tandem.programmes.models import Project
from tandem.registry.forms import add_person_field_errors
from tandem.registry.intake.models import Urgency
from tandem.registry.models import Benefit, Gender, Language, NationalityGroup, Registration

from .models import PlaceKind

# The languages most often heard at find places in Flanders: a few boxes, ticked in a second.
QUICK_LANGUAGES = ("nl", "fr", "en", "ar", "ber", "tr", "ro", "bg")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ContactForm(forms.Form):
    place = PlaceChoiceField(label=_("Find place"), queryset=None, empty_label=CHOOSE_LABEL)  # type: ignore[arg-type]
    on = EventDateField(label=_("Date"))
    prospect = forms.ChoiceField(
        label=_("Met before?"),
        required=False,
        help_text=_("Choose the person to log a repeat contact; leave empty for someone new."),
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=60,
        required=False,
        help_text=_("What you call this person: no full name."),
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), min_value=15, max_value=80, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c, label) for c, label in Language.choices if c in QUICK_LANGUAGES],
    )
    need = forms.CharField(
        label=_("Need"),
        max_length=100,
        required=False,
        help_text=_("e.g. work, childcare, a course. No health or justice details."),
    )

    def __init__(
        self,
        *args: Any,
        places: Any,
        recent: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()
        self.fields["prospect"].choices = [("", _("— someone new —")), *recent]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("prospect") and not (data.get("nickname") or "").strip():
            self.add_error("nickname", _("Give a nickname, or choose the person you met before."))
        return data


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(PlaceKind.choices))
    name = forms.CharField(label=_("Name"), max_length=200)
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["project"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
            Q(promoter=organisation) | Q(partners=organisation)
        ).distinct()
        self.fields["municipality"].initial = organisation.municipality


class ConvertForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = BirthDateField(label=_("Birth date"))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    insz = forms.CharField(
        label=_("National number (INSZ)"),
        max_length=15,
        required=False,
        help_text=_("Optional; 11 digits, dots and dashes allowed."),
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    province = forms.ChoiceField(label=_("Province"), choices=with_blank(Province.choices))
    registration = forms.ChoiceField(
        label=_("Known to VDAB?"), choices=Registration.choices, widget=forms.RadioSelect
    )
    # Not asked yet is "unknown", never a real value (tandem.common.forms).
    benefit = forms.ChoiceField(
        label=_("Benefit"), choices=Benefit.choices, initial=Benefit.UNKNOWN
    )
    nationality_group = forms.ChoiceField(
        label=_("Nationality"), choices=NationalityGroup.choices, initial=NationalityGroup.UNKNOWN
    )
    office = forms.ModelChoiceField(
        label=_("VDAB office that takes the person on"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE),
    )
    # What the office's mediator reads in the intake queue, and where the item stands in it.
    # The office is always chosen here, so the urgency is always asked, on no initial value.
    intake_note = LongTextField(
        label=_("Message for the office"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("What the mediator who takes the person on should know. No health details."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text=_("Urgent items come first in the office's intake queue."),
    )
    consent = forms.BooleanField(
        label=_(
            "The person agrees to be registered and to share their work situation with this "
            "VDAB office"
        ),
        required=False,
    )
    evidence = forms.ChoiceField(
        label=_("How was consent given?"), choices=Evidence.choices, widget=forms.RadioSelect
    )
    witness = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_("Needed for verbal consent."),
    )
    confirmed_distinct = forms.BooleanField(
        label=_("I checked: this is someone else than the person(s) shown"), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].initial = organisation.municipality

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The registry's one check of a person's names, birth date and national number.
        add_person_field_errors(self, data)
        return data

    def person_data(self, languages: list[str]) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "insz",
            "municipality",
            "province",
            "registration",
            "benefit",
            "nationality_group",
        )
        return {**{k: data[k] for k in keys}, "languages": languages}


class ProspectFilterForm(forms.Form):
    """Search and filters of the team's prospects. Posted, never a query string: a nickname
    says who someone is to the team and must not end up in a URL or a server log."""

    filters_a_list = True
    STATUSES = [
        ("", _("All")),
        ("new", _("Met once, not registered")),
        ("engaged", _("Engaged, not registered")),
        ("registered", _("Registered")),
    ]
    text = forms.CharField(
        label=_("Nickname or need"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES)
    place = PlaceChoiceField(
        label=_("Met at"),
        required=False,
        queryset=None,  # type: ignore[arg-type]
        empty_label=_("All find places"),
    )
    follow_up = forms.BooleanField(label=_("Follow-up due"), required=False)

    def __init__(self, *args: Any, places: Any, follow_up_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["follow_up"].help_text = _(
            "Not registered and not met in the last %(days)s days."
        ) % {"days": follow_up_days}
