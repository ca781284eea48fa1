"""Forms of the services directory: the search, a service, a service's location and the
organisation's own entry. Rules beyond a field's format live in ``directory.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX, LongTextField

from ..models import Location, Service


def _model_field(model: type[Any], name: str, **overrides: Any) -> forms.Field:
    """The model field's own form field (label, length, format), with overrides."""
    formfield = model._meta.get_field(name).formfield(**overrides)
    assert formfield is not None
    return formfield


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=100,
        help_text=_("For example: debts, housing, digipunt."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("All life domains"))]
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"), required=False, choices=[("", _("All municipalities"))]
    )

    def __init__(self, *args: Any, municipalities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        domain = self.fields["life_domain"]
        assert isinstance(domain, forms.ChoiceField)
        domain.choices = [("", _("All life domains")), *LifeDomain.choices]
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ChoiceField)
        municipality.choices = [("", _("All municipalities")), *((m, m) for m in municipalities)]


class ServiceForm(forms.Form):
    preselected_on_purpose = {
        "status": "a service added to the directory is offered until its organisation says not"
    }
    name = _model_field(Service, "name")
    alternate_name = _model_field(Service, "alternate_name")
    description = _model_field(
        Service, "description", help_text=_("What the service does, in plain words.")
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Life domains"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the service helps: the directory is searched by life domain."),
    )
    status = _model_field(Service, "status")
    eligibility_description = _model_field(Service, "eligibility_description")
    application_process = _model_field(Service, "application_process")
    wait_time = _model_field(Service, "wait_time")
    url = _model_field(Service, "url", assume_scheme="https")
    email = _model_field(Service, "email")

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        """``organisations``: offer a choice of organisation (administrators); else none."""
        super().__init__(*args, **kwargs)
        if organisations is not None:
            choice = forms.ModelChoiceField(
                label=_("Organisation"), queryset=organisations, empty_label="—"
            )
            self.fields = {"organisation": choice, **self.fields}

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        fields = [name for name in cls.base_fields if name != "life_domains"]
        return {
            **{name: getattr(service, name) for name in fields},
            "life_domains": list(service.life_domains or []),
        }


class ServiceLocationForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("One of your locations"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("— a new address —"),
    )
    name = _model_field(
        Location, "name", help_text=_("For example: Sociaal Huis, or the name of the building.")
    )
    address_1 = _model_field(Location, "address_1", help_text=_("Street and number."))
    postal_code = _model_field(Location, "postal_code")
    city = _model_field(Location, "city")
    region = _model_field(Location, "region", label=_("Province"))
    description = LongTextField(
        label=_("At this location"),
        required=False,
        help_text=_("For example: opening hours, or 'by appointment only'."),
        max_length=NOTE_MAX,
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = locations
        if not locations.exists():
            del self.fields["location"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("location") is None:
            for name in ("address_1", "postal_code", "city"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("Needed for a new location: street, postal code and municipality.")
                    )
        return data


class OrganisationEntryForm(forms.Form):
    description = _model_field(
        Organisation,
        "description",
        help_text=_("Who you are and what you do, for partners looking for help."),
    )
    email = _model_field(Organisation, "email")
    website = _model_field(Organisation, "website", assume_scheme="https")
