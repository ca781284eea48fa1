from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import BirthDateField
from tandem.common.forms import NoSilentDefaultsMixin, with_blank
from tandem.common.models import Province

from . import insz as insz_rules
from .models import Activity, HouseholdMember, IncomeKind, Language, Person, Relation
from .validation import person_field_errors


def add_person_field_errors(
    form: forms.BaseForm, data: dict[str, Any], *, unchanged: set[str] | None = None
) -> None:
    """Put what ``tandem.registry.validation`` finds wrong with a person's first and last name,
    birth date and national number (against the birth date) on the form's
    fields; a field that already has an error, or is in ``unchanged``, is left alone."""
    found = person_field_errors(
        first_name=data.get("first_name"),
        last_name=data.get("last_name"),
        birth_date=data.get("birth_date"),
        insz=data.get("insz"),
    )
    for field, messages in found.items():
        if field in form.errors or field not in form.fields or field in (unchanged or ()):
            continue
        for message in messages:
            form.add_error(field, message)


class PersonSearchForm(forms.Form):
    text = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    insz = forms.CharField(
        label=_("National number (INSZ)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    municipality = forms.CharField(label=_("Municipality"), required=False, max_length=100)

    def clean_insz(self) -> str:
        value = self.cleaned_data["insz"]
        if value and not insz_rules.is_valid(value):
            raise forms.ValidationError(
                _(
                    "This is not a valid national number: it has 11 digits and its check digits "
                    "must match."
                )
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(
            (data.get("text") or "").strip() or (data.get(f) or "").strip()
            for f in ("insz", "municipality")
        ):
            raise forms.ValidationError(_("Enter a name, a national number or a municipality."))
        return data


class PersonForm(NoSilentDefaultsMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the person speaks well enough for a conversation."),
    )
    province = forms.ChoiceField(label=_("Province"), choices=with_blank(Province.choices))
    # Longer than the stored 11 digits: people type dots, dashes and spaces.
    insz = forms.CharField(
        label=_("National number (INSZ)"),
        required=False,
        max_length=20,
        help_text=_("11 digits; dots and dashes are allowed. Leave empty if unknown."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    confirmed_distinct = forms.BooleanField(
        label=_("I checked: this is a different person with the same name and birth date."),
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "insz",
            "birth_date",
            "gender",
            "languages",
            "street",
            "house_number",
            "postal_code",
            "municipality",
            "province",
            "phone",
            "email",
            "education",
            "registration",
            "benefit",
            "nationality_group",
            "foreign_background",
            "disability",
        ]
        field_classes = {"birth_date": BirthDateField}
        widgets = {
            "gender": forms.RadioSelect,
            "registration": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
        }

    def __init__(
        self,
        *args: Any,
        show_confirm: bool = False,
        show_special_categories: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not show_confirm:
            del self.fields["confirmed_distinct"]
        if not show_special_categories:
            # Special-category data (GDPR art. 9) is for the duo: others neither see nor change it.
            del self.fields["disability"]
        # Optional: a form sent without them keeps what is stored (or the default).
        for name in self.OPTIONAL_WITH_DEFAULT:
            if name in self.fields:
                self.fields[name].required = False
        if self.instance.pk and self.instance.insz:
            self.initial["insz"] = insz_rules.parse(self.instance.insz).formatted

    OPTIONAL_WITH_DEFAULT = ("foreign_background", "disability")

    def clean_foreign_background(self) -> str:
        return self.cleaned_data.get("foreign_background") or self.instance.foreign_background

    def clean_disability(self) -> str:
        return self.cleaned_data.get("disability") or self.instance.disability

    def clean_insz(self) -> str | None:
        value = insz_rules.normalise(self.cleaned_data.get("insz") or "")
        if value:
            try:
                insz_rules.parse(value)
            except insz_rules.InszError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unchanged: set[str] = set()
        if self.instance.pk:
            # Editing: what was stored before and is not changed now is not refused again (an
            # imported name, a number entered before the check existed), only what is typed.
            unchanged = {
                f
                for f in ("first_name", "last_name", "birth_date", "insz", "gender")
                if f in data and data[f] == getattr(self.instance, f)
            }
            if not {"birth_date", "gender"} <= unchanged:
                unchanged.discard("insz")
        add_person_field_errors(self, data, unchanged=unchanged)
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # clean_insz checks the format; the service checks uniqueness inside its transaction
        # and says what to do next, which the generic constraint message would not.
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.add("insz")
        return exclude


class MemberWorkFields(forms.Form):
    """What work intensity needs to know about a member."""

    activity = forms.ChoiceField(
        label=_("Main activity last year"), required=False, choices=[("", "—"), *Activity.choices]
    )
    months_worked = forms.IntegerField(
        label=_("Months worked last year"),
        required=False,
        min_value=0,
        max_value=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ReferenceMemberForm(MemberWorkFields):
    pk = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdMemberForm(MemberWorkFields):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[("", "—"), *(c for c in Relation.choices if c[0] != Relation.SELF)],
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    birth_date = BirthDateField(label=_("Birth date"))

    field_order = ["pk", "relation", "first_name", "birth_date", "activity", "months_worked"]


class IncomeForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of income"), choices=[("", "—"), *IncomeKind.choices])
    member = forms.TypedChoiceField(
        label=_("Received by"), required=False, coerce=int, empty_value=None
    )
    monthly_amount = forms.DecimalField(
        label=_("Net per month (EUR)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, members: list[HouseholdMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.TypedChoiceField)
        member_field.choices = [("", _("The household as a whole"))] + [
            (m.pk, f"{m.first_name} ({m.get_relation_display()})") for m in members
        ]


HouseholdMemberFormSet = forms.formset_factory(
    HouseholdMemberForm, extra=1, can_delete=True, max_num=20, validate_max=True
)
IncomeFormSet = forms.formset_factory(
    IncomeForm, extra=1, can_delete=True, max_num=30, validate_max=True
)


TRI_STATE = [
    ("", _("Not asked")),
    ("no", _("Yes, can afford it")),
    ("yes", _("No, cannot afford it")),
]
WEAK_STATE = [("", _("Not assessed")), ("no", _("Not weak")), ("yes", _("Weak"))]


class CircumstancesForm(forms.Form):
    """The 13 deprivation items (EU 2030), the 3 durables only EU 2020 asks and the 6 Kind &
    Gezin criteria, each optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tandem.screening import indicators

        super().__init__(*args, **kwargs)
        for code, label in indicators.HOUSEHOLD_ITEMS.items():
            self.fields[f"dep_{code}"] = forms.ChoiceField(
                label=label, choices=TRI_STATE, required=False
            )
        for code, label in indicators.PERSONAL_ITEMS.items():
            self.fields[f"dep_{code}"] = forms.ChoiceField(
                label=label, choices=TRI_STATE, required=False
            )
        for code, label in indicators.EU2020_ONLY_ITEMS.items():
            self.fields[f"dep_{code}"] = forms.ChoiceField(
                label=label, choices=TRI_STATE, required=False
            )
        for code, label in indicators.KIND_EN_GEZIN_CRITERIA.items():
            self.fields[f"kg_{code}"] = forms.ChoiceField(
                label=label, choices=WEAK_STATE, required=False
            )
        self.household_codes = [f"dep_{c}" for c in indicators.HOUSEHOLD_ITEMS]
        self.personal_codes = [f"dep_{c}" for c in indicators.PERSONAL_ITEMS]
        self.eu2020_codes = [f"dep_{c}" for c in indicators.EU2020_ONLY_ITEMS]
        self.kg_codes = [f"kg_{c}" for c in indicators.KIND_EN_GEZIN_CRITERIA]

    @staticmethod
    def initial_from(
        deprivation: dict[str, bool], kind_en_gezin: dict[str, bool]
    ) -> dict[str, str]:
        initial = {f"dep_{k}": "yes" if v else "no" for k, v in deprivation.items()}
        initial.update({f"kg_{k}": "yes" if v else "no" for k, v in kind_en_gezin.items()})
        return initial

    def household_fields(self) -> list[forms.BoundField]:
        return [self[c] for c in self.household_codes]

    def personal_fields(self) -> list[forms.BoundField]:
        return [self[c] for c in self.personal_codes]

    def eu2020_fields(self) -> list[forms.BoundField]:
        return [self[c] for c in self.eu2020_codes]

    def kg_fields(self) -> list[forms.BoundField]:
        return [self[c] for c in self.kg_codes]

    def values(self, prefix: str) -> dict[str, bool | None]:
        return {
            name.removeprefix(prefix): {"yes": True, "no": False}.get(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }
