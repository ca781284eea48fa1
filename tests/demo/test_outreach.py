"""Demo outreach against the sources (issue 17): IN-Z's find places count for no project,
since source 001 names no call, period or budget for IN-Z's school-gate project; every contact
at a place of a project falls within that project's period (and its call's)."""

from __future__ import annotations

import random

import pytest

from tandem.demo.organisations import seed_organisations, seed_users
from tandem.demo.outreach import seed_outreach
from tandem.demo.programmes import seed_calls_and_projects
from tandem.outreach.models import ContactMoment, FindPlace

pytestmark = pytest.mark.django_db


@pytest.fixture
def outreach():
    orgs = seed_organisations()
    seed_calls_and_projects(orgs)
    seed_users(orgs)
    seed_outreach(random.Random(1))


def test_in_z_places_count_for_no_project_source_001(outreach):
    places = FindPlace.objects.filter(organisation__code="in-z")
    assert places.exists()
    assert not places.filter(project__isnull=False).exists()


def test_contacts_fall_within_their_projects_period(outreach):
    moments = ContactMoment.objects.filter(place__project__isnull=False).select_related(
        "place__project__call"
    )
    assert moments.exists()
    for moment in moments:
        project = moment.place.project
        assert project.start_date <= moment.on <= project.end_date, (project.code, moment.on)
        call = project.call
        if call is not None:
            assert call.start_date <= moment.on <= call.end_date, (call.code, moment.on)
