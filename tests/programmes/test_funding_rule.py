"""The funding rule (issue 17, "who may be funded by what"): a call funds the trajectory types
and the group work it says, within its period, under a project within the project's period.
A table of cases, each from the sources (``../shared/sources``): 000 (call 478, press
release), 002 (Ghent's Mobiel Arbeidsteam), 004 (annex to call 478: §b outreach and
activation, §c WIJ3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tandem.programmes.rules import CallTerms, Period, funding_refusal

D = dt.date
# Call 478 (source 000: "Vanaf 1 augustus ... Tot eind 2022 wordt de individuele begeleiding
# door werk- en welzijnsbemiddelaars van VDAB aangevuld met groepstrajecten"; 004 heading):
# W² trajectories and their group work, 1 August 2020 to the end of 2022.
CALL_478 = CallTerms(Period("478", D(2020, 8, 1), D(2022, 12, 31)), frozenset({"w2", "group_work"}))
PROJECT_478 = Period("esf478-ovl", D(2020, 8, 1), D(2022, 12, 31))
# The outreach call (004 §b: approved October 2019, "in twee jaar") and its Ghent project,
# the Mobiel Arbeidsteam (002: "tegen 2022").
CALL_OUTREACH = CallTerms(
    Period("outreach", D(2019, 10, 1), D(2021, 12, 31)), frozenset({"outreach"})
)
PROJECT_MAT = Period("Mobiel Arbeidsteam", D(2019, 10, 1), D(2022, 12, 31))
# WIJ3 (004 §c: young people 18 to 25, 18 months of guidance).
CALL_WIJ3 = CallTerms(Period("WIJ3", D(2017, 10, 1), D(2021, 6, 30)), frozenset({"youth"}))
PROJECT_WIJ3 = Period("WIJ3 partnership", D(2017, 10, 1), D(2021, 6, 30))

CASES = [
    # (source, call, project, kind, day, participant type, refused because … / None)
    (
        "000: a W² trajectory in call 478's period",
        CALL_478,
        PROJECT_478,
        "w2",
        D(2021, 3, 1),
        None,
        None,
    ),
    (
        "000: before 1 August 2020",
        CALL_478,
        PROJECT_478,
        "w2",
        D(2020, 7, 31),
        None,
        "runs from 01/08/2020",
    ),
    (
        "000/004: 478 funds the W² mediators' people, not work-and-care",
        CALL_478,
        PROJECT_478,
        "work_care",
        D(2021, 3, 1),
        None,
        "does not fund",
    ),
    (
        "000/004: nor regular mediation",
        CALL_478,
        PROJECT_478,
        "regular",
        D(2021, 3, 1),
        None,
        "does not fund",
    ),
    (
        "000: group work for a W² participant until the end of 2022",
        CALL_478,
        PROJECT_478,
        "group_work",
        D(2022, 12, 16),
        "w2",
        None,
    ),
    (
        "000: group work after the end of 2022",
        CALL_478,
        PROJECT_478,
        "group_work",
        D(2023, 1, 9),
        "w2",
        "falls outside",
    ),
    (
        "000/004: group work for a work-and-care participant",
        CALL_478,
        PROJECT_478,
        "group_work",
        D(2021, 3, 1),
        "work_care",
        "only for participants",
    ),
    (
        "004 §b, 002: an outreach contact of the Mobiel Arbeidsteam in 2020",
        CALL_OUTREACH,
        PROJECT_MAT,
        "outreach",
        D(2020, 5, 4),
        None,
        None,
    ),
    (
        "004 §b: the outreach call ran two years, to the end of 2021",
        CALL_OUTREACH,
        PROJECT_MAT,
        "outreach",
        D(2022, 6, 1),
        None,
        "funds Outreach and activation from 01/10/2019 to 31/12/2021",
    ),
    (
        "004 §b: the outreach call funds no W² trajectory",
        CALL_OUTREACH,
        PROJECT_MAT,
        "w2",
        D(2020, 5, 4),
        None,
        "does not fund",
    ),
    (
        "004 §c: WIJ3 funds the youth track",
        CALL_WIJ3,
        PROJECT_WIJ3,
        "youth",
        D(2019, 2, 1),
        None,
        None,
    ),
    (
        "004 §c: WIJ3 ended on 30 June 2021",
        CALL_WIJ3,
        PROJECT_WIJ3,
        "youth",
        D(2021, 7, 1),
        None,
        "falls outside",
    ),
    (
        "004 §c: WIJ3 funds no W² trajectory",
        CALL_WIJ3,
        PROJECT_WIJ3,
        "w2",
        D(2019, 2, 1),
        None,
        "does not fund",
    ),
]

LABELS = {"outreach": "Outreach and activation"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("source", "call", "project", "kind", "day", "participant", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_the_rule_follows_the_sources(source, call, project, kind, day, participant, expected):
    refusal = funding_refusal(
        kind=kind, day=day, project=project, call=call, participant_type=participant, labels=LABELS
    )
    if expected is None:
        assert refusal is None
    else:
        assert refusal is not None and expected in refusal
        assert (
            call.period.name in refusal or project.name in refusal
        )  # it names the call or project


def test_a_call_that_does_not_say_what_it_funds_refuses_everything():
    """Our choice (the issue leaves it open): an empty ``funds`` refuses, so that no expense is
    booked on a call whose eligibility was never stated; the reason says what to do."""
    call = CallTerms(Period("478", D(2020, 8, 1), D(2022, 12, 31)), frozenset())
    refusal = funding_refusal(kind="w2", day=D(2021, 1, 4), project=PROJECT_478, call=call)
    assert refusal is not None and "does not say what it funds" in refusal


def test_a_project_without_a_call_only_keeps_its_own_period():
    """A project no call pays for (an organisation's own money): Tandem knows no rule for it
    but its period."""
    own = Period("Groepswerk (eigen middelen)", D(2023, 1, 1), D(2029, 12, 31))
    assert funding_refusal(kind="regular", day=D(2024, 5, 1), project=own, call=None) is None
    assert "falls outside" in funding_refusal(
        kind="regular", day=D(2022, 5, 1), project=own, call=None
    )


def test_the_refusal_names_the_kind_the_call_and_the_period_in_plain_words():
    refusal = funding_refusal(
        kind="outreach", day=D(2022, 6, 1), project=PROJECT_MAT, call=CALL_OUTREACH, labels=LABELS
    )
    assert refusal == (
        "The call outreach funds Outreach and activation from 01/10/2019 to 31/12/2021: "
        "01/06/2022 falls outside it."
    )
