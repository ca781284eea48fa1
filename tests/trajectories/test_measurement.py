import datetime as dt
import xml.etree.ElementTree as ET  # parses only our own output: the charts we render

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS, LifeDomain
from tandem.trajectories.defaults import DEFAULT_SCALE_CODE, load_default_scale
from tandem.trajectories.measurement import panels as panels_measurement
from tandem.trajectories.measurement import selectors as sel
from tandem.trajectories.measurement.services import assessment_record
from tandem.trajectories.models import Assessment, Reading, Scale, ScaleLevel
from tandem.trajectories.services import trajectory_start, trajectory_transition
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def started(mediator):
    """An active W² trajectory that started 90 days ago."""
    person = make_person(mediator, first_name="Yasmina", last_name="Amrani")
    return trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="test",
        status="active",
        start_date=TODAY - 90 * DAY,
    )


def _record(user, trajectory, readings, on=None, **kwargs):
    kwargs.setdefault("agreed_with_client", True)
    return assessment_record(
        acting_user=user, trajectory=trajectory, on=on or TODAY, readings=readings, **kwargs
    )


def _nothing_written():
    return (
        not Assessment.objects.exists()
        and not Reading.objects.exists()
        and not AuditEvent.objects.filter(event_type="measurement.recorded").exists()
    )


# --- the default scale ----------------------------------------------------------------------


def test_the_migration_ships_the_default_five_level_scale():
    scale = Scale.objects.get(is_default=True)
    assert scale.code == DEFAULT_SCALE_CODE
    assert list(scale.levels.values_list("value", flat=True)) == [1, 2, 3, 4, 5]
    assert all(level.label and level.description for level in scale.levels.all())


def test_loading_the_default_scale_again_changes_nothing():
    before = list(ScaleLevel.objects.values_list("pk", "value", "label"))
    load_default_scale(apps)
    load_default_scale(apps)
    assert Scale.objects.filter(code=DEFAULT_SCALE_CODE).count() == 1
    assert list(ScaleLevel.objects.values_list("pk", "value", "label")) == before


def test_loading_restores_the_scale_after_a_flush_without_taking_another_default():
    Scale.objects.all().delete()
    own = Scale.objects.create(code="eigen", name="Eigen schaal", is_default=True)
    load_default_scale(apps)
    restored = Scale.objects.get(code=DEFAULT_SCALE_CODE)
    assert restored.levels.count() == 5
    assert not restored.is_default
    assert Scale.objects.get(is_default=True) == own


# --- recording ------------------------------------------------------------------------------


def test_an_assessment_keeps_one_reading_per_domain_and_is_audited(mediator, started):
    assessment = _record(
        mediator, started, {"income": 2, "housing": 3}, on=TODAY - DAY, note="  Samen bekeken. "
    )
    assert assessment.scale.code == DEFAULT_SCALE_CODE
    assert assessment.by == mediator
    assert assessment.agreed_with_client
    assert assessment.note == "Samen bekeken."
    assert dict(assessment.readings.values_list("domain", "level")) == {"income": 2, "housing": 3}
    event = AuditEvent.objects.get(event_type="measurement.recorded")
    assert event.person == started.person
    assert event.data["domains"] == ["housing", "income"]
    assert event.data["trajectory"] == str(started.public_id)
    assert "levels" not in event.data and 2 not in event.data.values()


def test_any_scale_with_any_number_of_levels_works(mediator, started):
    scale = Scale.objects.create(code="drie", name="Drie niveaus")
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=v, label=f"Niveau {v}") for v in (0, 1, 2)
    )
    assessment = _record(mediator, started, {"income": 0, "daytime": 2}, scale=scale)
    assert assessment.scale == scale
    with pytest.raises(ValidationError):
        _record(mediator, started, {"income": 3}, scale=scale)


def test_a_level_outside_the_scale_writes_nothing(mediator, started):
    with pytest.raises(ValidationError) as caught:
        _record(mediator, started, {"income": 3, "housing": 6, "daytime": 0})
    assert set(caught.value.error_dict) == {"housing", "daytime"}
    assert _nothing_written()


@pytest.mark.parametrize("level", ["3", 3.0, True, None])
def test_a_level_must_be_a_whole_number_of_the_scale(mediator, started, level):
    with pytest.raises(ValidationError):
        _record(mediator, started, {"income": level})
    assert _nothing_written()


def test_a_date_in_the_future_is_refused(mediator, started):
    with pytest.raises(ValidationError) as caught:
        _record(mediator, started, {"income": 3}, on=TODAY + DAY)
    assert "on" in caught.value.error_dict
    assert _nothing_written()


def test_a_date_before_the_trajectory_started_is_refused(mediator, started):
    with pytest.raises(ValidationError) as caught:
        _record(mediator, started, {"income": 3}, on=started.start_date - DAY)
    assert "on" in caught.value.error_dict
    assert _record(mediator, started, {"income": 3}, on=started.start_date)


@pytest.mark.parametrize("readings", [{}, {"unknown": 3}])
def test_at_least_one_known_life_domain_is_needed(mediator, started, readings):
    with pytest.raises(ValidationError):
        _record(mediator, started, readings)
    assert _nothing_written()


def test_only_who_may_change_the_trajectory_records(mediator, started, organisation, partner):
    coach = make_user(Role.GROUP_COACH, organisation=organisation)
    other = make_user(Role.MEDIATOR, organisation=OrganisationFactory(code="elders"))
    for user in (coach, other, partner):
        with pytest.raises(PermissionDenied):
            _record(user, started, {"income": 3})
    assert _nothing_written()
    colleague = make_user(Role.MEDIATOR, organisation=organisation)
    assert _record(colleague, started, {"income": 3})  # covering for a colleague


def test_a_closed_trajectory_takes_no_more_readings(mediator, started):
    trajectory_transition(
        acting_user=mediator, trajectory=started, to_status="closed", closure_reason="training"
    )
    with pytest.raises(PermissionDenied):
        _record(mediator, started, {"income": 3})


def test_without_a_default_scale_recording_says_so(mediator, started):
    Scale.objects.update(is_default=False)
    with pytest.raises(ValidationError):
        _record(mediator, started, {"income": 3})
    assert _nothing_written()


# --- rules ----------------------------------------------------------------------------------


def test_progress_is_the_latest_reading_minus_the_first_per_domain():
    history = [
        {"income": 1, "housing": 2},
        {"income": 2},
        {"income": 4, "housing": 1, "daytime": 3},
    ]
    result = sel.progress_by_domain(history, ["income", "housing", "daytime", "justice"])
    assert result["income"] == sel.DomainProgress(first=1, previous=2, latest=4, count=3)
    assert result["income"].progress == 3
    assert result["housing"].progress == -1
    assert result["housing"].previous == 2
    assert result["daytime"].progress is None  # one reading: no progress yet
    assert result["daytime"].latest == 3
    assert result["justice"] == sel.DomainProgress()
    assert result["justice"].progress is None


def test_the_same_level_twice_is_zero_progress():
    result = sel.progress_by_domain([{"adl": 4}, {"adl": 4}], ["adl"])
    assert result["adl"].progress == 0


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], []),
        (["a"], [("latest", "a")]),
        (["a", "b"], [("first", "a"), ("latest", "b")]),
        (["a", "b", "c"], [("first", "a"), ("previous", "b"), ("latest", "c")]),
        (list("abcde"), [("first", "a"), ("previous", "d"), ("latest", "e")]),
    ],
)
def test_the_chart_compares_the_first_previous_and_latest(items, expected):
    assert sel.chart_points(items) == expected


@pytest.mark.parametrize(("delta", "text"), [(2, "+2"), (0, "0"), (-1, "−1"), (None, "—")])
def test_progress_is_written_with_its_sign(delta, text):
    assert sel.format_progress(delta) == text


def test_the_summary_follows_the_chart_and_the_domains(mediator, started):
    _record(mediator, started, {"income": 1, "housing": 2}, on=TODAY - 30 * DAY)
    _record(mediator, started, {"income": 2}, on=TODAY - 20 * DAY)
    _record(mediator, started, {"income": 4, "daytime": 3}, on=TODAY - 10 * DAY)
    overview = sel.measurement_overview(mediator, started)
    summary = overview.current
    assert [c.role for c in summary.columns] == ["first", "previous", "latest"]
    rows = {row.domain: row for row in summary.rows}
    assert [c.value if c else None for c in rows["income"].cells] == [1, 2, 4]
    assert rows["income"].progress_text == "+3"
    assert rows["income"].cells[0].label == "Acute problematiek"
    assert [c.value if c else None for c in rows["housing"].cells] == [2, None, None]
    assert rows["housing"].progress is None
    assert (summary.improved, summary.worsened) == (1, 0)
    assert overview.assessment_count == 3
    assert overview.last_assessed_on == TODAY - 10 * DAY


def test_progress_is_never_compared_across_scales(mediator, started):
    other = Scale.objects.create(code="drie", name="Drie niveaus")
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=other, value=v, label=str(v)) for v in (1, 2, 3)
    )
    _record(mediator, started, {"income": 5}, on=TODAY - 20 * DAY)
    _record(mediator, started, {"income": 1}, on=TODAY - 10 * DAY, scale=other)
    _record(mediator, started, {"income": 3}, on=TODAY - 5 * DAY, scale=other)
    overview = sel.measurement_overview(mediator, started)
    assert [s.scale.code for s in overview.summaries] == ["drie", DEFAULT_SCALE_CODE]
    income = {
        s.scale.code: next(r for r in s.rows if r.domain == "income") for s in overview.summaries
    }
    assert income["drie"].progress == 2
    assert income[DEFAULT_SCALE_CODE].progress is None


def test_special_category_readings_and_notes_are_for_the_duo_only(mediator, started, organisation):
    _record(mediator, started, {"income": 2, "mental_health": 1}, note="Depressie", on=TODAY - DAY)
    _record(mediator, started, {"justice": 2})
    coach = make_user(Role.GROUP_COACH, organisation=organisation)
    duo_view = sel.measurement_overview(mediator, started)
    coach_view = sel.measurement_overview(coach, started)
    assert duo_view.domains == list(LifeDomain.values)
    assert not set(coach_view.domains) & SPECIAL_CATEGORY_DOMAINS
    assert coach_view.hides_special_categories and not coach_view.shows_notes
    # The assessment with only a justice reading is not there at all for the coach.
    assert coach_view.assessment_count == 1
    assert {r.domain for r in coach_view.current.rows} == set(coach_view.domains)


# --- pages ----------------------------------------------------------------------------------


def _urls(trajectory):
    kwargs = {"public_id": trajectory.public_id}
    return (
        reverse("trajectories:measurement_readings", kwargs=kwargs),
        reverse("trajectories:measurement_record", kwargs=kwargs),
    )


def _form_data(on, **levels):
    data = {"on": on.isoformat(), "agreed_with_client": "on", "note": ""}
    data.update({f"level_{domain}": str(level) for domain, level in levels.items()})
    return data


def test_record_through_the_form_and_see_chart_and_progress(mediator_client, started):
    readings_url, form_url = _urls(started)
    response = mediator_client.get(form_url)
    assert response.status_code == 200
    form = response.context["form"]
    assert [f.name for f in form.level_fields()] == [f"level_{d}" for d in LifeDomain.values]
    assert mediator_client.post(form_url, _form_data(TODAY - 7 * DAY, income=2)).url == readings_url
    response = mediator_client.post(form_url, _form_data(TODAY, income=4, housing=3))
    assert response.status_code == 302
    assert Assessment.objects.filter(trajectory=started).count() == 2

    page = mediator_client.get(readings_url)
    assert page.status_code == 200
    body = page.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>") + len("</svg>")]
    assert ET.fromstring(svg).get("role") == "img"  # noqa: S314 - our own output
    assert 'data-domain="income"' in body
    summary = page.context["overview"].current
    assert next(r for r in summary.rows if r.domain == "income").progress_text == "+2"
    assert 'data-progress="2">+2</td>' in body


def test_the_form_shows_errors_and_writes_nothing(mediator_client, started):
    _readings_url, form_url = _urls(started)
    response = mediator_client.post(form_url, _form_data(TODAY))  # no level at all
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert b'class="error-summary"' in response.content
    response = mediator_client.post(form_url, _form_data(TODAY + DAY, income=3))
    assert response.context["form"].has_error("on")
    response = mediator_client.post(form_url, _form_data(TODAY, income=9))
    assert response.context["form"].has_error("level_income")
    response = mediator_client.post(form_url, _form_data(started.start_date - DAY, income=3))
    assert response.context["form"].has_error("on")  # the service's rule, on its field
    assert _nothing_written()


def test_each_page_view_writes_an_access_log_row(mediator_client, mediator, started):
    readings_url, form_url = _urls(started)
    mediator_client.get(readings_url)
    mediator_client.get(readings_url)
    mediator_client.get(form_url)
    logs = AccessLog.objects.filter(person=started.person, user=mediator)
    assert logs.filter(what="measurement readings").count() == 2
    assert logs.filter(what="measurement form").count() == 1


def test_another_organisations_mediator_gets_404(client, started):
    outsider = make_user(Role.MEDIATOR, organisation=OrganisationFactory(code="vdab-elders"))
    client.force_login(outsider)
    for url in _urls(started):
        assert client.get(url).status_code == 404
    assert client.post(_urls(started)[1], _form_data(TODAY, income=3)).status_code == 404
    assert not AccessLog.objects.filter(person=started.person).exists()
    assert _nothing_written()


def test_a_reader_who_may_not_write_sees_readings_but_not_the_form(client, started, organisation):
    # A welfare partner of the registering organisation sees the person, but is not the duo.
    reader = make_user(Role.WELFARE_PARTNER, organisation=organisation)
    client.force_login(reader)
    readings_url, form_url = _urls(started)
    response = client.get(readings_url)
    assert response.status_code == 200
    assert not response.context["can_record"]
    assert form_url not in response.content.decode()
    assert client.get(form_url).status_code == 403
    assert client.post(form_url, _form_data(TODAY, income=3)).status_code == 403
    assert _nothing_written()


def test_roles_without_person_files_are_refused(client, started, organisation):
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=organisation)
    client.force_login(manager)
    for url in _urls(started):
        assert client.get(url).status_code == 403


def test_the_readings_page_costs_the_same_queries_for_2_or_10_assessments(
    mediator_client, mediator, django_assert_max_num_queries
):
    counts = []
    for n in (2, 10):
        person = make_person(mediator)
        trajectory = trajectory_start(
            acting_user=mediator,
            person=person,
            type="w2",
            reason="test",
            status="active",
            start_date=TODAY - 30 * DAY,
        )
        for i in range(n):
            _record(
                mediator,
                trajectory,
                {d: 1 + (i + k) % 5 for k, d in enumerate(LifeDomain.values)},
                on=TODAY - (n - i) * DAY,
            )
        url = _urls(trajectory)[0]
        mediator_client.get(url)  # warm the session
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            assert mediator_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_panel_gives_its_keys_in_constant_queries(mediator, started, organisation):
    empty = panels_measurement.panel_context(mediator, started)
    assert empty["measurement_chart"] == ""
    assert empty["measurement_overview"].current is None
    assert empty["measurement_can_record"]
    for i in range(6):
        _record(mediator, started, {"income": 1 + i % 5, "housing": 3}, on=TODAY - (10 - i) * DAY)
    with CaptureQueriesContext(connection) as queries:
        context = panels_measurement.panel_context(mediator, started)
    assert len(queries) <= 3
    assert set(context) == {
        "measurement_overview",
        "measurement_chart",
        "measurement_can_record",
        "measurement_readings_url",
        "measurement_record_url",
    }
    root = ET.fromstring(str(context["measurement_chart"]))  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert context["measurement_readings_url"] == _urls(started)[0]
    assert context["measurement_record_url"] == _urls(started)[1]
    coach = make_user(Role.GROUP_COACH, organisation=organisation)
    coach_context = panels_measurement.panel_context(coach, started)
    assert not coach_context["measurement_can_record"]
    assert coach_context["measurement_record_url"] == ""


def test_the_trajectory_page_shows_the_panel(mediator_client, mediator, started):
    _record(mediator, started, {"income": 2}, on=TODAY - DAY)
    response = mediator_client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": started.public_id})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="measurement-panel-title"' in body
    assert 'id="measurement-panel-chart-title"' in body
    for url in _urls(started):
        assert url in body


# --- the duo's welfare partner sees the domains the person consented to ---------------------


def _partner_of_the_duo(mediator, trajectory, partner, domains):
    from tandem.network.consent.services import consent_give
    from tandem.trajectories.services import trajectory_set_welfare_partner

    trajectory_set_welfare_partner(acting_user=mediator, trajectory=trajectory, partner=partner)
    if domains:
        consent_give(
            acting_user=mediator,
            person=trajectory.person,
            domains=domains,
            purpose="Duo",
            evidence="signed_form",
            recipient_organisation=partner.organisation,
        )


@pytest.mark.parametrize("domains", [["income"], ["income", "housing"]])
def test_the_welfare_partner_with_consent_on_one_or_two_domains_sees_their_readings(
    client, mediator, partner, started, domains
):
    """A radar needs three axes; fewer visible domains once crashed both pages (HTTP 500)."""
    _partner_of_the_duo(mediator, started, partner, domains)
    _record(mediator, started, {"income": 2, "housing": 1, "daytime": 4}, on=TODAY - 2 * DAY)
    _record(mediator, started, {"income": 4, "housing": 3, "daytime": 5})
    client.force_login(partner)
    readings_url, _form_url = _urls(started)
    detail_url = reverse("trajectories:trajectory_detail", kwargs={"public_id": started.public_id})
    for url in (readings_url, detail_url):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        svg = body[body.index("<svg") : body.index("</svg>") + len("</svg>")]
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.get("role") == "img"
        assert "bar-chart" in root.get("class")
        desc = root.find("{http://www.w3.org/2000/svg}desc").text
        income = str(LifeDomain("income").label)
        assert f"{income}: 2" in desc and f"{income}: 4" in desc
        assert str(LifeDomain("daytime").label) not in desc  # not consented: not shown
    table = client.get(readings_url).content.decode()
    assert 'data-domain="income"' in table and 'data-progress="2">+2</td>' in table
    assert ('data-domain="housing"' in table) == ("housing" in domains)
    assert 'data-domain="daytime"' not in table


def test_the_welfare_partner_of_the_duo_without_consent_does_not_reach_the_pages(
    client, mediator, partner, started
):
    """README "Who sees what": the duo partner of another organisation sees the person only
    with a consent in force (the authorization matrix's duo partner without consent)."""
    _partner_of_the_duo(mediator, started, partner, [])
    _record(mediator, started, {"income": 2, "housing": 1, "daytime": 4})
    client.force_login(partner)
    readings_url, _form_url = _urls(started)
    detail_url = reverse("trajectories:trajectory_detail", kwargs={"public_id": started.public_id})
    for url in (readings_url, detail_url):
        assert client.get(url).status_code == 404


def test_a_partner_whose_consent_shares_no_visible_domain_is_told_why_there_are_no_readings(
    client, mediator, partner, started
):
    """A receiving welfare partner (not the duo) whose consent names only a special category
    sees the trajectory but no domain of it: the pages say why instead of drawing a chart."""
    from tandem.network.consent.services import consent_give
    from tandem.network.models import Service
    from tandem.network.referrals.services import referral_send
    from tandem.trajectories.plan.services import action_create, goal_create

    consent_give(
        acting_user=mediator,
        person=started.person,
        domains=["mental_health"],
        purpose="Doorverwijzing",
        evidence="signed_form",
        recipient_organisation=partner.organisation,
    )
    goal = goal_create(
        acting_user=mediator, trajectory=started, domain="mental_health", description="Rust"
    )
    referral_send(
        acting_user=mediator,
        action=action_create(acting_user=mediator, goal=goal, description="GGZ", owner="client"),
        service=Service.objects.create(
            organisation=partner.organisation,
            name="Psychologische hulp",
            life_domains=["mental_health"],
        ),
        question="Begeleiding?",
    )
    _record(mediator, started, {"income": 2, "housing": 1, "daytime": 4})
    client.force_login(partner)
    readings_url, _form_url = _urls(started)
    detail_url = reverse("trajectories:trajectory_detail", kwargs={"public_id": started.public_id})
    for url in (readings_url, detail_url):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="measurement-no-domains"' in body
        assert "measurement-panel-chart" not in body and "measurement-chart-0" not in body
        assert "Nog geen metingen" not in body  # not "no readings yet": there are some
