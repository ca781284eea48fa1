"""Every form of the project against the rule of tandem.common.forms: no choice starts on a
real value the worker did not choose, and no "---------" radio (issue 14)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms

import tandem
from tandem.accounts.models import Organisation, Role, User
from tandem.common.forms import (
    NOT_SET_VALUES,
    NoSilentDefaultsMixin,
    silent_defaults,
    with_blank,
)
from tandem.common.models import Province
from tandem.trajectories.models import Status

from ..factories import OrganisationFactory, make_user


def _tandem_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(tandem.__path__, "tandem."):
        # Forms live in forms*.py, and a few small filter forms in views*.py.
        if not module.name.rsplit(".", 1)[-1].startswith(("forms", "views", "admin")):
            continue
        importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tandem.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _fake_participant(pk: int) -> Any:
    person = SimpleNamespace(first_name="Sara", last_name=f"Deelnemer{pk}")
    return SimpleNamespace(pk=pk, trajectory=SimpleNamespace(person=person))


def _trajectory() -> Any:
    return SimpleNamespace(status=Status.ACTIVE, organisation_id=0, lead_mediator_id=0)


# How to build the forms whose constructor needs more than data: with what a view passes
# (querysets with at least one row, so a select that picks its first row is seen).
BUILDERS: dict[str, Callable[[], forms.BaseForm]] = {
    "tandem.registry.forms.IncomeForm": lambda: _form("registry.forms.IncomeForm", members=[]),
    "tandem.outreach.forms.ContactForm": lambda: _form(
        "outreach.forms.ContactForm", places=_places(), recent=[("Eerder", [("p1", "Ali")])]
    ),
    "tandem.registry.intake.forms.IntakeDecisionForm": lambda: _form(
        "registry.intake.forms.IntakeDecisionForm",
        colleagues=list(User.objects.all()),
        offices=list(Organisation.objects.all()),
        me=User.objects.first(),
    ),
    "tandem.outreach.forms.ProspectFilterForm": lambda: _form(
        "outreach.forms.ProspectFilterForm", places=_places(), follow_up_days=14
    ),
    "tandem.outreach.forms.PlaceForm": lambda: _form(
        "outreach.forms.PlaceForm", organisation=Organisation.objects.first()
    ),
    "tandem.outreach.forms.ConvertForm": lambda: _form(
        "outreach.forms.ConvertForm", organisation=Organisation.objects.first()
    ),
    "tandem.groupwork.enrolment.forms.IntakeForm": lambda: _form(
        "groupwork.enrolment.forms.IntakeForm",
        programme=SimpleNamespace(coaches=User.objects.all()),
    ),
    "tandem.groupwork.enrolment.forms.SessionForm": lambda: _form(
        "groupwork.enrolment.forms.SessionForm",
        programme=SimpleNamespace(coaches=User.objects.all()),
    ),
    "tandem.groupwork.enrolment.forms.EnrolmentRequestForm": lambda: _form(
        "groupwork.enrolment.forms.EnrolmentRequestForm", modules=_modules()
    ),
    "tandem.groupwork.enrolment.forms.AttendanceForm": lambda: _form(
        "groupwork.enrolment.forms.AttendanceForm",
        participants=[_fake_participant(1), _fake_participant(2)],
        recorded={},
    ),
    "tandem.groupwork.figures.forms.FigureFilterForm": lambda: _form(
        "groupwork.figures.forms.FigureFilterForm", programmes=_programmes()
    ),
    "tandem.network.consent.forms.ConsentForm": lambda: _form(
        "network.consent.forms.ConsentForm", organisations=Organisation.objects.all()
    ),
    "tandem.network.directory.forms.DirectorySearchForm": lambda: _form(
        "network.directory.forms.DirectorySearchForm", municipalities=["Gent"]
    ),
    "tandem.network.directory.forms.ServiceLocationForm": lambda: _form(
        "network.directory.forms.ServiceLocationForm", locations=_locations()
    ),
    "tandem.network.referrals.forms.ReferralSendForm": lambda: _form(
        "network.referrals.forms.ReferralSendForm",
        services=_services(),
        consented={},
        can_override=True,
    ),
    "tandem.network.referrals.forms.ReferralTransitionForm": lambda: _form(
        "network.referrals.forms.ReferralTransitionForm", statuses=["accepted", "declined"]
    ),
    "tandem.screening.forms.ScreeningForm": lambda: _form(
        "screening.forms.ScreeningForm",
        checklist=SimpleNamespace(signals=SimpleNamespace(all=list)),
    ),
    "tandem.trajectories.forms.TransitionForm": lambda: _form(
        "trajectories.forms.TransitionForm", trajectory=_trajectory()
    ),
    "tandem.trajectories.forms.DuoForm": lambda: _form(
        "trajectories.forms.DuoForm", trajectory=_trajectory()
    ),
    "tandem.trajectories.forms.HandoverForm": lambda: _form(
        "trajectories.forms.HandoverForm", trajectory=_trajectory()
    ),
    # Nothing stored yet (what is stored shows when editing: that is no default).
    "tandem.trajectories.forms.ResponsibilityForm": lambda: _form(
        "trajectories.forms.ResponsibilityForm",
        current={},
        has_partner=True,
    ),
    "tandem.trajectories.jobcoaching.forms.JobStartForm": lambda: _form(
        "trajectories.jobcoaching.forms.JobStartForm", employers=Organisation.objects.all()
    ),
    "tandem.trajectories.jobcoaching.forms.JobCoachingForm": lambda: _form(
        "trajectories.jobcoaching.forms.JobCoachingForm", coaches=User.objects.all()
    ),
    "tandem.trajectories.measurement.forms.AssessmentForm": lambda: _form(
        "trajectories.measurement.forms.AssessmentForm",
        levels=[SimpleNamespace(value=n, label=str(n)) for n in range(1, 6)],
    ),
    "tandem.privacy.forms.AccessLogSearchForm": lambda: _form(
        "privacy.forms.AccessLogSearchForm", user=User.objects.first()
    ),
    "tandem.privacy.requests.forms.RequestRegisterForm": lambda: _form(
        "privacy.requests.forms.RequestRegisterForm", user=User.objects.first()
    ),
}


def _form(path: str, **kwargs: Any) -> forms.BaseForm:
    module, name = f"tandem.{path}".rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(**kwargs)


def _places() -> Any:
    from tandem.outreach.models import FindPlace as Place

    return Place.objects.all()


def _modules() -> Any:
    from tandem.groupwork.models import Module

    return Module.objects.all()


def _programmes() -> Any:
    from tandem.groupwork.models import Programme

    return Programme.objects.all()


def _locations() -> Any:
    from tandem.network.models import Location

    return Location.objects.all()


def _services() -> Any:
    from tandem.network.models import Service

    return Service.objects.all()


def _build(cls: type[forms.BaseForm]) -> forms.BaseForm:
    key = f"{cls.__module__}.{cls.__qualname__}"
    if key in BUILDERS:
        return BUILDERS[key]()
    try:
        return cls()
    except TypeError as exc:
        pytest.fail(f"{key} needs arguments: add how a view builds it to BUILDERS ({exc})")


@pytest.fixture
def rows(db):
    """One row behind every queryset a form offers, so a select that would start on its
    first row is caught."""
    org = OrganisationFactory(name="OCMW Gent", code="ocmw-gent-sd", province=Province.LIMBURG)
    make_user(Role.MEDIATOR, organisation=org, username="sd_mediator")
    return org


def test_every_form_class_is_found():
    names = {f"{c.__module__}.{c.__qualname__}" for c in _tandem_form_classes()}
    assert "tandem.registry.forms.PersonForm" in names
    assert "tandem.outreach.forms.ConvertForm" in names
    assert "tandem.trajectories.pop.forms.SignOffForm" in names
    assert len(names) > 40


def test_no_form_starts_on_a_real_value_or_shows_a_dash_radio(rows):
    problems = []
    for cls in _tandem_form_classes():
        problems += silent_defaults(_build(cls))
    assert problems == [], "\n".join(problems)


def test_the_check_catches_each_kind_of_silent_default(db):
    class Radio(forms.Form):
        gender = forms.ChoiceField(
            choices=[("", "---------"), ("F", "Vrouw")], widget=forms.RadioSelect
        )

    class FirstOption(forms.Form):
        province = forms.ChoiceField(choices=Province.choices)

    class Initial(forms.Form):
        benefit = forms.ChoiceField(
            choices=with_blank([("unemployment", "Werkloosheid")]), initial="unemployment"
        )

    class FirstRow(forms.Form):
        organisation = forms.ModelChoiceField(Organisation.objects.all(), empty_label=None)

    class Fine(forms.Form):
        gender = forms.ChoiceField(choices=[("F", "Vrouw")], widget=forms.RadioSelect)
        province = forms.ChoiceField(choices=with_blank(Province.choices))
        benefit = forms.ChoiceField(
            choices=[("unemployment", "Werkloosheid"), ("unknown", "Onbekend")],
            initial="unknown",
        )

    class Filter(forms.Form):
        filters_a_list = True
        status = forms.ChoiceField(choices=[("open", "Open"), ("", "Alle")])

    assert "radio" in silent_defaults(Radio())[0]
    assert "'antwerpen'" in silent_defaults(FirstOption())[0]
    assert "real value 'unemployment'" in silent_defaults(Initial())[0]
    assert "first" in silent_defaults(FirstRow())[0]
    assert silent_defaults(Fine()) == []
    assert silent_defaults(Filter()) == []
    assert "unknown" in NOT_SET_VALUES


def test_the_model_form_mixin_drops_the_dash_radio_of_a_required_choice(db):
    from tandem.registry.models import Person

    class Plain(forms.ModelForm):
        class Meta:
            model = Person
            fields = ["gender", "province"]
            widgets = {"gender": forms.RadioSelect}

    class Mixed(NoSilentDefaultsMixin, Plain):
        pass

    assert "shows a '---------' radio" in silent_defaults(Plain())[0]
    form = Mixed()
    assert silent_defaults(form) == []
    assert "---------" not in str(form["gender"]) + str(form["province"])
    assert not Mixed(data={"province": "limburg"}).is_valid()
