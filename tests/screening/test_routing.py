"""Routing at the door (issue 17): what the service stores and the page shows agrees with the
rules of sources 003 and 004, and the advice always goes with the route."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.programmes.models import Call
from tandem.screening import rules, services
from tandem.screening.default_signals import SIGNALS
from tandem.screening.models import Advice, Route, Screening
from tandem.screening.selectors import current_checklist
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

# "Agree": REGULAR ⇔ regular mediation, EXPLORE_WORK_CARE ⇔ work and care, REFER_MEDIATOR ⇔
# W², the youth track or outreach.
AGREE = {
    Advice.REGULAR: {Route.REGULAR},
    Advice.EXPLORE_WORK_CARE: {Route.WORK_CARE},
    Advice.REFER_MEDIATOR: {Route.W2, Route.YOUTH, Route.OUTREACH},
}
YOUTH_HIGH_NEEDS = ["geen-inkomen", "dakloos", "geen-diploma", "digitaal"]
BORN_2000 = dt.date(2000, 1, 1)


@pytest.fixture
def service_line(organisation):
    return make_user(Role.SERVICE_LINE, organisation=organisation, username="servicelijn")


def _conduct(user, person, present, **kwargs):
    answers = {"motivation": "sufficient", "outflow_within_two_years": "yes"}
    answers.update(kwargs)
    return services.screening_conduct(
        acting_user=user,
        person=person,
        checklist=current_checklist(),
        present=present,
        **answers,
    )


def _wij3():
    """The WIJ3 youth call (source 004, §4c): 1 Oct 2017 – 30 Jun 2021, funds the youth track."""
    return Call.objects.create(
        code="wij3",
        title="Werkinleving voor Jongeren 3",
        start_date=dt.date(2017, 10, 1),
        end_date=dt.date(2021, 6, 30),
        total_budget=12_000_000,
        funds=["youth"],
    )


@pytest.mark.parametrize(
    ("present", "answers", "route"),
    [
        # Source 003 answer 1: care postponed for money is poverty, not a medical problem.
        pytest.param(["zorg-uitgesteld"], {}, Route.REGULAR, id="003: care postponed alone"),
        # Source 003 answer 1: a mild complaint is not a pronounced problem.
        pytest.param(
            ["psychische-klachten", "geen-diploma"], {}, Route.REGULAR, id="003: mild complaint"
        ),
        # Source 004 §1: one orange domain (it was advice "regular" beside route W²).
        pytest.param(
            ["geen-diploma", "nooit-gewerkt"], {}, Route.REGULAR, id="004 §1: one orange domain"
        ),
        # Source 003 answer 1: no W² without sufficient motivation (it was advice "refer").
        pytest.param(
            ["schulden", "slechte-woning"],
            {"motivation": "doubtful"},
            Route.REGULAR,
            id="003: doubtful motivation",
        ),
        # Source 004 §4a: a welfare need "dermate groot", social problems included.
        pytest.param(
            [s[1] for s in SIGNALS if not s[5]], {}, Route.WORK_CARE, id="004 §4a: so great"
        ),
        # Source 003 answer 1: the W² target group.
        pytest.param(["schulden", "slechte-woning"], {}, Route.W2, id="003: W²"),
        # Source 003 answer 1: a severe psychiatric signal.
        pytest.param(
            ["psychiatrische-problematiek", "schulden"], {}, Route.WORK_CARE, id="003: severe"
        ),
    ],
)
def test_the_stored_advice_and_route_agree(service_line, present, answers, route):
    person = make_person(service_line, birth_date=dt.date(1980, 1, 1))
    screening = _conduct(service_line, person, present, **answers)
    screening.refresh_from_db()
    assert screening.route_suggested == route
    assert screening.route_suggested in AGREE[Advice(screening.advice)]
    assert screening.advice == rules.ADVICE_FOR_ROUTE[route]
    assert screening.advice_reasons and screening.route_reasons
    event = AuditEvent.objects.get(event_type="screening.conducted", person=person)
    assert (event.data["advice"], event.data["route"]) == (screening.advice, route)


def test_the_youth_track_while_a_call_funds_it(service_line):
    _wij3()
    person = make_person(service_line, birth_date=BORN_2000)
    while_funded = _conduct(
        service_line, person, YOUTH_HIGH_NEEDS, conducted_on=dt.date(2020, 3, 2)
    )
    after = _conduct(service_line, person, YOUTH_HIGH_NEEDS, conducted_on=dt.date(2022, 1, 10))
    assert (while_funded.route_suggested, while_funded.advice) == (
        Route.YOUTH,
        Advice.REFER_MEDIATOR,
    )
    # WIJ3 ended on 30/06/2021: the next route, W², with the reason why.
    assert (after.route_suggested, after.advice) == (Route.W2, Advice.REFER_MEDIATOR)
    assert any("10/01/2022" in r for r in after.route_reasons)


def test_a_stored_screening_keeps_the_route_it_was_given(service_line):
    person = make_person(service_line, birth_date=BORN_2000)
    screening = _conduct(service_line, person, YOUTH_HIGH_NEEDS, conducted_on=dt.date(2020, 3, 2))
    assert screening.route_suggested == Route.W2  # no call funded the youth track then
    _wij3()
    screening.refresh_from_db()
    assert screening.route_suggested == Route.W2


def test_the_page_shows_why_the_youth_track_is_not_offered(client, service_line):
    person = make_person(service_line, birth_date=BORN_2000)
    client.force_login(service_line)
    url = reverse("screening:screening_create", kwargs={"public_id": person.public_id})
    response = client.post(
        url,
        {
            "conducted_on": "2022-01-10",
            "motivation": "sufficient",
            "outflow_within_two_years": "yes",
            **{f"signal_{code}": "on" for code in YOUTH_HIGH_NEEDS},
            "notes": "",
        },
    )
    assert response.status_code == 302
    screening = Screening.objects.get(person=person)
    body = client.get(response.url).content.decode()
    assert screening.route_suggested == Route.W2
    assert screening.get_route_display() in body
    assert screening.get_advice_display() in body
    for reason in [*screening.route_reasons, *screening.advice_reasons]:
        assert escape(reason) in body
    assert "10/01/2022" in body
