from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.network.models import Consent
from tandem.outreach import selectors, services
from tandem.outreach.models import ContactMoment, Prospect
from tandem.registry.models import Person, PersonAssignment
from tandem.registry.selectors import person_queryset_for
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_user

from .conftest import PERSON

TODAY = timezone.localdate()


def _data(**extra):
    data = dict(PERSON, birth_date=dt.date(1990, 3, 4))
    data.update(extra)
    return data


def _first(worker, place, **kw):
    return services.contact_log(
        acting_user=worker,
        place=place,
        on=TODAY - dt.timedelta(days=7),
        nickname="Mama Yasmine",
        approximate_age=34,
        languages=["ar", "nl"],
        need="werk",
        **kw,
    )


def test_first_contact_creates_a_prospect_and_a_repeat_is_counted(worker, place):
    first = _first(worker, place)
    prospect = first.prospect
    assert prospect.organisation == worker.organisation
    assert prospect.languages == ["ar", "nl"]
    listed = selectors.prospect_list_for(worker).get(pk=prospect.pk)
    assert listed.moment_count == 1
    services.contact_log(acting_user=worker, place=place, prospect=prospect, need="kinderopvang")
    listed = selectors.prospect_list_for(worker).get(pk=prospect.pk)
    assert listed.moment_count == 2
    assert Prospect.objects.count() == 1
    prospect.refresh_from_db()
    assert prospect.need == "werk"  # what was known is kept
    assert AuditEvent.objects.filter(event_type="outreach.contact_logged").count() == 2


def test_new_contact_needs_a_nickname_and_no_future(worker, place):
    with pytest.raises(ValidationError) as exc:
        services.contact_log(acting_user=worker, place=place)
    assert "nickname" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            acting_user=worker, place=place, nickname="X", on=TODAY + dt.timedelta(days=1)
        )
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.contact_log(acting_user=worker, place=place, nickname="X", approximate_age=9)
    assert "approximate_age" in exc.value.message_dict
    assert not Prospect.objects.exists()


def test_another_team_cannot_log_at_our_place(place):
    other = make_user(Role.OUTREACH_WORKER, organisation=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.contact_log(acting_user=other, place=place, nickname="X")


def test_conversion_keeps_history_and_hands_over(worker, place, office, mediator):
    first = _first(worker, place)
    prospect = first.prospect
    services.contact_log(acting_user=worker, place=place, prospect=prospect)
    person = services.prospect_convert(
        acting_user=worker,
        prospect=prospect,
        person_data=_data(languages=prospect.languages),
        office=office,
        consent=True,
        evidence="verbal_with_witness",
        witness="Els (vzw Jes)",
    )
    prospect.refresh_from_db()
    assert prospect.person == person
    assert prospect.converted_on == TODAY
    assert person.registration == "non_active"
    assert ContactMoment.objects.filter(prospect=prospect).count() == 2
    assert person.prospect.moments.first().place == place
    consent = Consent.objects.get(person=person)
    assert consent.recipient_organisation == office
    assert consent.witness == "Els (vzw Jes)"
    assert PersonAssignment.objects.filter(person=person, organisation=office).exists()
    # The worker who brought the person in and the office's mediator see the person.
    assert person_queryset_for(worker).filter(pk=person.pk).exists()
    assert person_queryset_for(mediator).filter(pk=person.pk).exists()
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="outreach", reason="Via vzw Jes"
    )
    assert trajectory.person == person
    # Contact after conversion stays in the same history.
    services.contact_log(acting_user=worker, place=place, prospect=prospect)
    assert prospect.moments.count() == 3


def test_conversion_without_consent_is_refused_and_writes_nothing(worker, place, office):
    prospect = _first(worker, place).prospect
    with pytest.raises(ValidationError) as exc:
        services.prospect_convert(
            acting_user=worker,
            prospect=prospect,
            person_data=_data(),
            office=office,
            consent=False,
            evidence="signed_form",
        )
    assert "consent" in exc.value.message_dict
    assert not Person.objects.exists()


def test_conversion_error_late_leaves_nothing_half_written(worker, place, office):
    prospect = _first(worker, place).prospect
    # Verbal consent without a witness fails in consent_give, after the person was created.
    with pytest.raises(ValidationError) as exc:
        services.prospect_convert(
            acting_user=worker,
            prospect=prospect,
            person_data=_data(),
            office=office,
            consent=True,
            evidence="verbal_with_witness",
        )
    assert "witness" in exc.value.message_dict
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    prospect.refresh_from_db()
    assert prospect.person is None


def test_conversion_needs_a_vdab_office(worker, place, jes):
    prospect = _first(worker, place).prospect
    with pytest.raises(ValidationError) as exc:
        services.prospect_convert(
            acting_user=worker,
            prospect=prospect,
            person_data=_data(),
            office=jes,
            consent=True,
            evidence="signed_form",
        )
    assert "office" in exc.value.message_dict


def test_scoping_of_prospects(worker, place):
    prospect = _first(worker, place).prospect
    other = make_user(Role.OUTREACH_WORKER, organisation=OrganisationFactory())
    assert not selectors.prospect_queryset_for(other).exists()
    mediator = make_user(Role.MEDIATOR, organisation=worker.organisation)
    assert not selectors.prospect_queryset_for(mediator).exists()
    assert selectors.prospect_queryset_for(worker).get() == prospect


def test_link_to_a_person_the_team_registered(worker, place):
    from tests.factories import make_person

    prospect = _first(worker, place).prospect
    person = make_person(worker)
    services.prospect_link(acting_user=worker, prospect=prospect, person=person)
    prospect.refresh_from_db()
    assert prospect.person == person
    assert prospect.moments.count() == 1
    stranger = make_person(make_user(Role.MEDIATOR, organisation=OrganisationFactory()))
    other = _first(worker, place).prospect
    with pytest.raises(PermissionDenied):
        services.prospect_link(acting_user=worker, prospect=other, person=stranger)


def test_prospect_list_costs_a_constant_number_of_queries(
    worker, place, django_assert_max_num_queries
):
    for _n in range(5):
        _first(worker, place)
    with django_assert_max_num_queries(2):
        rows = list(selectors.prospect_list_for(worker))
    assert len(rows) == 5
