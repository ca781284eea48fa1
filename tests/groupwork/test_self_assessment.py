"""The self-assessment of self-image (zelfbeeld) and draagkracht at the start and at the end of
group work (issue 17, item A): the statements and scale as rules from the sources, the save
service with who may fill it in (the network map's coach), the form, and the comparison shown
beside the network maps' comparison."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import SelfAssessment, Theme
from tandem.groupwork.selfassessment.rules import (
    DIMENSIONS,
    DRAAGKRACHT,
    ITEMS,
    SCALE,
    SELF_IMAGE,
    compare,
    level_problems,
    score,
)
from tandem.groupwork.selfassessment.services import self_assessment_save
from tests.factories import make_user
from tests.groupwork.test_network_map import _trajectory, group  # noqa: F401 - the fixture

TODAY = timezone.localdate()
SOURCES = Path("/work/shared/sources")

START = {
    "self_worth": 2,
    "own_strengths": 2,
    "belonging": 3,
    "setbacks": 2,
    "grip": 1,
    "energy": 3,
}
END = {
    "self_worth": 4,
    "own_strengths": 3,
    "belonging": 4,
    "setbacks": 3,
    "grip": 3,
    "energy": 3,
}


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _source(number: str) -> str:
    (path,) = SOURCES.glob(f"{number}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


# --- the rules -------------------------------------------------------------------------------

# Source 004, "Evaluatie vorige tender": the goals group work reached for most participants.
GOALS_OF_GROUP_WORK = (
    "het verhogen van het zelfinzicht, een visualisatie van het sociale netwerk en het "
    "verhogen van de draagkracht van de deelnemers"
)


def test_the_goals_are_those_of_source_004():
    assert GOALS_OF_GROUP_WORK in _source("004")
    # The network map visualises the network; the self-assessment covers the other two.
    assert set(DIMENSIONS) == {SELF_IMAGE, DRAAGKRACHT}


@pytest.mark.parametrize(
    ("item", "dimension", "quote"),
    [
        # (statement, part, the words of source 004 it follows)
        ("self_worth", SELF_IMAGE, "een positiever zelfbeeld hebben"),
        ("own_strengths", SELF_IMAGE, "het verhogen van het zelfinzicht"),
        ("belonging", SELF_IMAGE, "geloven iemand te zijn en een plaats te hebben"),
        ("setbacks", DRAAGKRACHT, "het verhogen van de draagkracht"),
        ("grip", DRAAGKRACHT, "weer greep krijgen op hun leven"),
        ("energy", DRAAGKRACHT, "zelfsturend leren zijn"),
    ],
)
def test_each_statement_follows_source_004(item, dimension, quote):
    assert ITEMS[item][0] == dimension
    assert quote in ITEMS[item][1]
    assert quote in _source("004")


def test_the_scale_has_the_shape_of_the_measurement_scale():
    # DOMAIN.md §4: five levels, 1 the lowest, 5 the highest; progress = later − first.
    assert sorted(SCALE) == [1, 2, 3, 4, 5]
    assert compare(START, END).dimensions[0].difference == score(END, SELF_IMAGE) - score(
        START, SELF_IMAGE
    )


@pytest.mark.parametrize(
    ("levels", "dimension", "expected"),
    [
        (START, SELF_IMAGE, Decimal("2.3")),  # (2 + 2 + 3) / 3 = 2.33…
        (START, DRAAGKRACHT, Decimal("2.0")),
        (END, SELF_IMAGE, Decimal("3.7")),  # 11 / 3 = 3.67 → half up
        (END, DRAAGKRACHT, Decimal("3.0")),
    ],
)
def test_a_part_scores_the_mean_of_its_statements(levels, dimension, expected):
    assert score(levels, dimension) == expected


def test_the_comparison_gives_the_differences_and_waits_for_both_moments():
    comparison = compare(START, END)
    assert comparison.complete
    assert [(r.key, r.difference_text) for r in comparison.dimensions] == [
        (SELF_IMAGE, "+1.4"),
        (DRAAGKRACHT, "+1.0"),
    ]
    grip = next(r for r in comparison.items if r.key == "grip")
    assert (grip.start, grip.end, grip.difference_text) == (1, 3, "+2")
    lower = compare(END, START)
    assert lower.dimensions[0].difference_text == "\u22121.4"
    only_start = compare(START, None)
    assert not only_start.complete
    assert only_start.dimensions[0].difference_text == ""


def test_level_problems_name_each_statement():
    assert level_problems(START) == {}
    assert level_problems({**START, "grip": 6, "energy": True}) == {
        "grip": "out_of_scale",
        "energy": "missing",
    }


def test_draagkracht_is_the_dutch_word_for_the_goal_everywhere():
    """Source 004 says "draagkracht"; every Dutch translation of "resilience" uses it."""
    assert "draagkracht" in _source("004") and "veerkracht" not in _source("004")
    with translation.override("nl"):
        assert str(Theme.RESILIENCE.label) == "Draagkracht"
    po = (Path(__file__).resolve().parents[2] / "tandem/locale/nl/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    pairs = re.findall(r'msgid "([^"]*)"\nmsgstr "([^"]*)"', po)
    resilience = [(i, s) for i, s in pairs if "resilien" in i.lower()]
    assert resilience and all("raagkracht" in s for _i, s in resilience), resilience
    assert "veerkracht" not in po.lower()


# --- the service -----------------------------------------------------------------------------


def _save(group, user=None, moment="start", levels=START, **kwargs):  # noqa: F811
    return self_assessment_save(
        acting_user=user or group.coach,
        enrolment=group.enrolment,
        moment=moment,
        levels=levels,
        with_participant=kwargs.pop("with_participant", True),
        **kwargs,
    )


def test_the_coach_fills_in_the_start_and_it_is_audited(group):  # noqa: F811
    assessment = _save(group, assessed_on=TODAY - dt.timedelta(days=7))
    assert (assessment.moment, assessment.assessed_on, assessment.assessed_by) == (
        "start",
        TODAY - dt.timedelta(days=7),
        group.coach,
    )
    assert {name: getattr(assessment, name) for name in ITEMS} == START
    (event,) = AuditEvent.objects.filter(event_type="groupwork.self_assessment_saved")
    assert event.person == group.enrolment.trajectory.person
    assert event.data == {
        "enrolment": str(group.enrolment.public_id),
        "moment": "start",
        "replaced": False,
    }


def test_saving_a_moment_again_replaces_its_levels(group):  # noqa: F811
    _save(group)
    _save(group, levels={**START, "grip": 2})
    assert SelfAssessment.objects.get().grip == 2
    events = AuditEvent.objects.filter(event_type="groupwork.self_assessment_saved")
    assert [e.data["replaced"] for e in events.order_by("pk")] == [False, True]


def test_only_the_programmes_coach_fills_it_in(group):  # noqa: F811
    for user in (group.other_coach, group.mediator):
        with pytest.raises(PermissionDenied):
            _save(group, user=user)
    assert not SelfAssessment.objects.exists()


def test_only_with_a_participant_placed_or_completed(group):  # noqa: F811
    requested = enrolment_services.enrolment_request(
        acting_user=group.mediator,
        trajectory=_trajectory(group.mediator, "Pieter", "Claes"),
        module=group.module,
    )
    with pytest.raises(ValidationError, match="placed in the group"):
        self_assessment_save(
            acting_user=group.coach,
            enrolment=requested,
            moment="start",
            levels=START,
            with_participant=True,
        )
    completed = enrolment_services.enrolment_complete(
        acting_user=group.coach, enrolment=group.enrolment, on=TODAY
    )
    assert (
        self_assessment_save(
            acting_user=group.coach,
            enrolment=completed,
            moment="end",
            levels=END,
            with_participant=True,
        ).moment
        == "end"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"with_participant": False}, "with_participant"),
        ({"levels": {**START, "grip": 0}}, "grip"),
        ({"levels": {k: v for k, v in START.items() if k != "energy"}}, "energy"),
        ({"assessed_on": TODAY + dt.timedelta(days=1)}, "assessed_on"),
        ({"assessed_on": TODAY - dt.timedelta(days=400)}, "assessed_on"),
        ({"moment": "middle"}, "moment"),
    ],
)
def test_refusals_write_nothing(group, kwargs, field):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        _save(group, **kwargs)
    assert field in exc.value.message_dict
    assert not SelfAssessment.objects.exists()
    assert not AuditEvent.objects.filter(event_type="groupwork.self_assessment_saved").exists()


# --- the pages -------------------------------------------------------------------------------


def _url(group, tail=""):  # noqa: F811
    return f"/groupwork/enrolments/{group.enrolment.public_id}/{tail}"


def _post(levels, **extra):
    return {"assessed_on": TODAY.isoformat(), "with_participant": "on", **levels, **extra}


def test_the_coach_fills_it_in_on_the_form(client, group):  # noqa: F811
    client.force_login(group.coach)
    form = client.get(_url(group, "self-assessment/start/"))
    assert form.status_code == 200
    body = form.content.decode()
    assert "I have a grip on my life." in body and "Draagkracht" in body
    assert body.count('type="radio"') == 5 * len(ITEMS)
    response = client.post(_url(group, "self-assessment/start/"), _post(START))
    assert response.status_code == 302
    assert response["Location"] == _url(group, "network/") + "#self-assessment"
    assert {name: getattr(SelfAssessment.objects.get(), name) for name in ITEMS} == START
    assert AccessLog.objects.filter(what="group work: self-assessment form").exists()


def test_the_form_needs_the_participant_and_every_statement(client, group):  # noqa: F811
    client.force_login(group.coach)
    data = _post({k: v for k, v in START.items() if k != "grip"})
    del data["with_participant"]
    response = client.post(_url(group, "self-assessment/start/"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a level from 1 to 5." in body
    assert not SelfAssessment.objects.exists()
    response = client.post(
        _url(group, "self-assessment/start/"),
        {k: v for k, v in _post(START).items() if k != "with_participant"},
    )
    assert response.status_code == 400
    assert "Fill the self-assessment in together with the participant." in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_the_comparison_is_shown_beside_the_network_maps(client, group):  # noqa: F811
    _save(group, assessed_on=TODAY - dt.timedelta(days=7))
    _save(group, moment="end", levels=END)
    client.force_login(group.mediator)
    response = client.get(_url(group, "network/"))
    assert response.status_code == 200
    body = response.content.decode()
    pair = body[body.index('id="goals-compared"') :]
    assert pair.index('id="comparison"') < pair.index('id="self-assessment"')
    assert 'id="self-assessment-table"' in body
    row = re.search(r'data-dimension="self_image">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2.3", "3.7", "+1.4"]
    row = re.search(r'data-item="grip">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1", "3", "+2"]
    # The mediator reads; only the coach fills it in.
    assert "self-assessment-edit-start" not in body


def test_the_coach_gets_the_links_and_sees_what_is_missing(client, group):  # noqa: F811
    client.force_login(group.coach)
    body = client.get(_url(group, "network/")).content.decode()
    assert f'href="{_url(group, "self-assessment/start/")}"' in body
    assert f'href="{_url(group, "self-assessment/end/")}"' in body
    assert "Start of group work: not filled in yet." in body
    assert 'id="self-assessment-table"' not in body


def test_who_may_open_the_form_is_who_may_draw_the_map(client, group, other_mediator):  # noqa: F811
    client.force_login(group.mediator)
    assert client.get(_url(group, "self-assessment/start/")).status_code == 403
    assert client.post(_url(group, "self-assessment/start/"), _post(START)).status_code == 403
    for user in (group.other_coach, other_mediator):
        client.force_login(user)
        assert client.get(_url(group, "self-assessment/start/")).status_code == 404
        assert client.post(_url(group, "self-assessment/start/"), _post(START)).status_code == 404
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    assert client.get(_url(group, "self-assessment/start/")).status_code == 403
    client.force_login(group.coach)
    assert client.get(_url(group, "self-assessment/middle/")).status_code == 404
    assert not SelfAssessment.objects.exists()


def test_a_form_for_someone_no_longer_in_the_group_sends_back(client, group):  # noqa: F811
    enrolment_services.enrolment_leave(
        acting_user=group.coach, enrolment=group.enrolment, reason="work", on=TODAY
    )
    client.force_login(group.coach)
    response = client.get(_url(group, "self-assessment/start/"))
    assert response.status_code == 302
    assert response["Location"] == _url(group, "network/")
