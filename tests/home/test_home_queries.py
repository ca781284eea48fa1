"""The home page's SQL queries are pinned and do not grow with the data (issue 20): the persons
panel counts its three figures in one query (``COUNT … FILTER``), over the visibility scope as
one condition (``tandem.access.scope``), and every work panel is one query (plus its one
access-log insert when it shows persons)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.network.consent.services import consent_give
from tandem.registry.selectors import person_counts_for
from tandem.trajectories import services as tservices
from tests.factories import make_person

pytestmark = pytest.mark.django_db

# The whole page for each role with an open duo trajectory (session, user, roles, the persons'
# figures, one query per work panel and the access-log rows of the panels that show persons):
# before issue 20 the figures took three queries (15 and 14).
MEDIATOR_HOME_QUERIES = 13
PARTNER_HOME_QUERIES = 12


def _caseload(mediator, partner, n: int) -> None:
    """``n`` persons of the mediator's office, each with an open trajectory of the duo and a
    consent for the partner's OCMW."""
    today = timezone.localdate()
    for i in range(n):
        person = make_person(mediator, first_name=f"Huis{i}", registration="non_active")
        trajectory = tservices.trajectory_start(
            acting_user=mediator,
            person=person,
            type="w2",
            start_date=today - dt.timedelta(days=90),
            status="active",
            reason="Aangemeld zonder screening",
        )
        tservices.trajectory_set_welfare_partner(
            acting_user=mediator, trajectory=trajectory, partner=partner
        )
        consent_give(
            acting_user=mediator,
            person=person,
            recipient_organisation=partner.organisation,
            domains=["income"],
            purpose="Begeleiding",
            evidence="signed_form",
        )


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home:home"))  # warm: the session and the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home:home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "pinned"), [("mediator", MEDIATOR_HOME_QUERIES), ("partner", PARTNER_HOME_QUERIES)]
)
def test_the_home_page_queries_are_pinned_and_constant_in_data_size(
    client, mediator, partner, who, pinned
):
    user = {"mediator": mediator, "partner": partner}[who]
    _caseload(mediator, partner, 1)
    small = _queries(client, user)
    _caseload(mediator, partner, 6)
    large = _queries(client, user)
    assert small == large == pinned


def test_the_persons_figures_are_one_query(mediator, partner, django_assert_num_queries):
    _caseload(mediator, partner, 3)
    today = timezone.localdate()
    for user in (mediator, partner):
        user.role_codes  # noqa: B018 (the roles are loaded with the user on a request)
        with django_assert_num_queries(1):
            counts = person_counts_for(user, today)
        assert counts == {"persons": 3, "new_this_month": 3, "non_active": 3}
