"""The screening rules on plain data: lights, and the one decision (route + advice) with its
reasons. The routing rules are a table of cases, each naming the source it comes from."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.common.models import LifeDomain
from tandem.screening import rules
from tandem.screening.default_signals import SIGNALS as DEFAULT_SIGNALS
from tandem.screening.models import Advice, Light, Motivation, Outlook, Route

S = rules.SignalFact
SIGNALS = [
    S("debts", "income", 2),
    S("no-income", "income", 3),
    S("bad-housing", "housing", 2),
    S("high-rent", "housing", 1),
    S("childcare", "family", 2),
    S("isolated", "social_network", 2),
    S("digital", "iadl", 1),
    S("complaints", "mental_health", 2, mmpps=True),
    S("psychiatric", "mental_health", 3, mmpps=True),
    S("substance", "addiction", 2, mmpps=True),
    S("care-postponed", "physical_health", 1),
]
# The default Dutch checklist (knipperlichtenlijst), as the service reads it.
CHECKLIST = [
    S(code, domain, weight, mmpps=mmpps) for domain, code, _q, _h, weight, mmpps in DEFAULT_SIGNALS
]
POVERTY_SIGNALS = [s.code for s in CHECKLIST if not s.mmpps]
ALL_FUNDED = frozenset(Route.values)
WIJ3_RUNS = dt.date(2019, 5, 1)  # WIJ3 ran from 1 Oct 2017 to 30 Jun 2021 (source 004, §4c)
AFTER_WIJ3 = dt.date(2022, 1, 10)


def _decide(
    present,
    *,
    signals=SIGNALS,
    age=35,
    registered=True,
    motivation=Motivation.SUFFICIENT,
    outflow=Outlook.YES,
    funded=ALL_FUNDED,
    day=WIJ3_RUNS,
):
    return rules.decide(
        signals,
        present,
        age=age,
        registered=registered,
        motivation=motivation,
        outflow_within_two_years=outflow,
        funded=funded,
        day=day,
    )


def test_lights_follow_the_summed_weights():
    lights = rules.domain_lights(SIGNALS, {"debts", "high-rent", "bad-housing", "digital"})
    assert lights["income"].light == Light.ORANGE  # 2
    assert lights["housing"].light == Light.RED  # 1 + 2
    assert lights["iadl"].light == Light.ORANGE  # 1
    assert lights["justice"].light == Light.GREEN
    assert set(lights) == {d.value for d in LifeDomain}
    assert lights["housing"].signals == ("bad-housing", "high-rent")


def test_one_severe_signal_makes_its_domain_red():
    assert rules.domain_lights(SIGNALS, {"no-income"})["income"].light == Light.RED


# --- the routing rules, case by case -------------------------------------------------------
#
# (source, signals present on the default checklist, other answers, route). The advice is the
# route's (rules.ADVICE_FOR_ROUTE); every case checks it too.
YOUTH_HIGH_NEEDS = ["geen-inkomen", "dakloos", "geen-diploma", "digitaal"]  # 2 red, 4 not green
SO_GREAT = [
    "geen-inkomen",  # income: red
    "dakloos",  # housing: red
    "spanningen-gezin",
    "geen-kinderopvang",  # family: 2 + 2, red
    "niemand",
    "klein-netwerk",  # social network: 2 + 1, red
]
CASES = [
    # Source 003, answer 1: a W² trajectory is for people without a pronounced ("uitgesproken")
    # medical, mental, psychological or psychiatric problem. A severe MMPPS signal is one.
    (
        "003 answer 1: severe psychiatric signal",
        ["psychiatrische-problematiek", "schulden"],
        {},
        Route.WORK_CARE,
    ),
    ("003 answer 1: severe medical signal alone", ["medische-problematiek"], {}, Route.WORK_CARE),
    (
        "003 answer 1: untreated addiction beside homelessness",
        ["verslaving", "dakloos"],
        {},
        Route.WORK_CARE,
    ),
    (
        "003 answer 1: needs help with daily self-care",
        ["hulp-zelfzorg", "schulden"],
        {},
        Route.WORK_CARE,
    ),
    # … or MMPPS signals that clearly dominate: weight ≥ 3 and ≥ twice the poverty weight.
    (
        "003 answer 1: complaints and substance use dominate (4 vs 1)",
        ["psychische-klachten", "middelengebruik", "digitaal"],
        {},
        Route.WORK_CARE,
    ),
    (
        "003 answer 1: two health complaints, twice the debts (4 vs 2)",
        ["psychische-klachten", "gezondheid-beperkt-werk", "schulden"],
        {},
        Route.WORK_CARE,
    ),
    (
        "003 answer 1: health complaints no heavier than poverty (4 vs 4) are not pronounced",
        ["psychische-klachten", "gezondheid-beperkt-werk", "schulden", "slechte-woning"],
        {},
        Route.W2,
    ),
    (
        "003 answer 1: a mild psychological complaint is not pronounced",
        ["psychische-klachten", "geen-diploma", "schulden"],
        {},
        Route.W2,
    ),
    (
        "003 answer 1: a mild complaint and no diploma: no barrier, not work and care",
        ["psychische-klachten", "geen-diploma"],
        {},
        Route.REGULAR,
    ),
    # Postponing care for money is a poverty signal (its own help text), even in a health domain.
    (
        "003 answer 1: care postponed for money alone is poverty, not MMPPS",
        ["zorg-uitgesteld"],
        {},
        Route.REGULAR,
    ),
    (
        "003 answer 1: care postponed for money beside money problems is W²",
        ["zorg-uitgesteld", "schulden", "inkomen-ontoereikend"],
        {},
        Route.W2,
    ),
    # Source 003, answer 1: sufficient motivation, training or work within two years.
    (
        "003 answer 1: debts and a poor home, motivated, within two years",
        ["schulden", "slechte-woning"],
        {},
        Route.W2,
    ),
    (
        "003 answer 1: doubtful motivation",
        ["schulden", "slechte-woning"],
        {"motivation": Motivation.DOUBTFUL},
        Route.REGULAR,
    ),
    (
        "003 answer 1: no outflow within two years expected",
        ["schulden", "slechte-woning"],
        {"outflow": Outlook.NO},
        Route.REGULAR,
    ),
    (
        "003 answer 1: outflow cannot be said yet",
        ["schulden", "slechte-woning"],
        {"outflow": Outlook.UNKNOWN},
        Route.REGULAR,
    ),
    # Source 004, §1 and §4a: poverty is exclusion over several areas of life; signals lead to a
    # referral when they stand in the way of work. A red domain or two orange ones.
    ("004 §4a: no signals", [], {}, Route.REGULAR),
    (
        "004 §1: one orange domain is followed up in regular guidance",
        ["geen-diploma"],
        {},
        Route.REGULAR,
    ),
    (
        "004 §1: two signals in one orange domain",
        ["geen-diploma", "nooit-gewerkt"],
        {},
        Route.REGULAR,
    ),
    ("004 §4a: homelessness is a barrier on its own", ["dakloos"], {}, Route.W2),
    (
        "004 §1: debts and no childcare: two domains",
        ["schulden", "geen-kinderopvang"],
        {},
        Route.W2,
    ),
    # Source 004, §4a: a welfare and care need "dermate groot" → work and care, social problems
    # included; W² itself works on several domains at once, so three red domains stay W².
    ("004 §4a: red in four life domains is so great", SO_GREAT, {}, Route.WORK_CARE),
    (
        "004 §4a: so great, whatever the motivation",
        SO_GREAT,
        {"motivation": Motivation.INSUFFICIENT},
        Route.WORK_CARE,
    ),
    ("004 §4a: red in three life domains is W²'s own ground", SO_GREAT[:5], {}, Route.W2),
    ("004 §4a: every poverty signal at once", POVERTY_SIGNALS, {}, Route.WORK_CARE),
    # Source 004, §4c: WIJ3, 18–25 with a high need of guidance, 1 Oct 2017 – 30 Jun 2021.
    (
        "004 §4c: youth with high needs while WIJ3 runs",
        YOUTH_HIGH_NEEDS,
        {"age": 22, "funded": frozenset({Route.YOUTH})},
        Route.YOUTH,
    ),
    (
        "004 §4c: 25 is still young",
        YOUTH_HIGH_NEEDS,
        {"age": 25, "funded": frozenset({Route.YOUTH})},
        Route.YOUTH,
    ),
    (
        "004 §4c: 26 is not",
        YOUTH_HIGH_NEEDS,
        {"age": 26, "funded": frozenset({Route.YOUTH})},
        Route.W2,
    ),
    (
        "004 §4c: youth without high needs",
        ["schulden", "slechte-woning"],
        {"age": 20, "funded": frozenset({Route.YOUTH})},
        Route.W2,
    ),
    (
        "004 §4c: after WIJ3 ended no call funds the youth track: W²",
        YOUTH_HIGH_NEEDS,
        {"age": 22, "funded": frozenset(), "day": AFTER_WIJ3},
        Route.W2,
    ),
    (
        "004 §4c: youth track unfunded and motivation doubtful: regular",
        YOUTH_HIGH_NEEDS,
        {"age": 22, "funded": frozenset(), "motivation": Motivation.DOUBTFUL},
        Route.REGULAR,
    ),
    # Source 003 answers 1–2, 004 §4a and §6: W², work and care and regular mediation are
    # VDAB's standing offer, offered whatever the calls fund.
    (
        "003 answer 1, 004 §6: W² needs no call",
        ["schulden", "slechte-woning"],
        {"funded": frozenset()},
        Route.W2,
    ),
    (
        "003 answer 2, 004 §4a: work and care needs no call",
        ["medische-problematiek"],
        {"funded": frozenset()},
        Route.WORK_CARE,
    ),
]


@pytest.mark.parametrize(
    ("present", "answers", "expected"),
    [pytest.param(p, a, r, id=source) for source, p, a, r in CASES],
)
def test_routing_follows_the_sources(present, answers, expected):
    decision = _decide(present, signals=CHECKLIST, **answers)
    assert decision.route == expected
    assert decision.advice == rules.ADVICE_FOR_ROUTE[expected]
    assert decision.route_reasons
    assert decision.advice_reasons


def test_the_reasons_say_when_the_youth_track_is_not_funded():
    with translation.override("en"):
        decision = _decide(
            YOUTH_HIGH_NEEDS, signals=CHECKLIST, age=22, funded=frozenset(), day=AFTER_WIJ3
        )
    assert decision.route == Route.W2
    assert any("youth track is not funded on 10/01/2022" in r for r in decision.route_reasons)


def test_the_reasons_say_why_the_welfare_need_is_so_great():
    with translation.override("en"):
        decision = _decide(SO_GREAT, signals=CHECKLIST)
    assert any("so great" in r and "4 life domains" in r for r in decision.route_reasons)
    assert any("so great" in r for r in decision.advice_reasons)


def test_the_reasons_say_a_mild_complaint_is_not_pronounced():
    with translation.override("en"):
        decision = _decide(["psychische-klachten", "geen-diploma", "schulden"], signals=CHECKLIST)
    assert any("not a pronounced problem" in r for r in decision.route_reasons)


def test_pronounced_follows_the_signals_own_flag_not_its_domain():
    # Care postponed for money sits in physical health but is not an MMPPS signal.
    assert not rules.mmpps_pronounced(CHECKLIST, ["zorg-uitgesteld"])
    assert rules.mmpps_pronounced(CHECKLIST, ["medische-problematiek"])
    assert rules.weights(CHECKLIST, ["zorg-uitgesteld", "psychische-klachten"]) == rules.Weights(
        mmpps=2, poverty=1, severe_mmpps_domains=()
    )


def test_not_registered_is_marked_non_active_with_a_reason():
    decision = _decide({"debts", "bad-housing"}, registered=False)
    assert decision.non_active
    assert decision.route == Route.W2
    assert len(decision.route_reasons) == 2


def test_changes_between_two_screenings():
    before = {
        d: {"light": v.light, "signals": list(v.signals)}
        for d, v in rules.domain_lights(SIGNALS, {"debts", "digital"}).items()
    }
    after = {
        d: {"light": v.light, "signals": list(v.signals)}
        for d, v in rules.domain_lights(SIGNALS, {"debts", "no-income"}).items()
    }
    changes = {c.domain: c for c in rules.changes(before, after)}
    assert set(changes) == {"income", "iadl"}
    assert (changes["income"].before, changes["income"].after) == ("orange", "red")
    assert changes["income"].added == ("no-income",)
    assert changes["iadl"].removed == ("digital",)


@given(
    st.sets(st.sampled_from([s.code for s in SIGNALS])), st.sampled_from([s.code for s in SIGNALS])
)
def test_an_extra_signal_never_makes_a_light_greener(present, extra):
    order = {Light.GREEN: 0, Light.ORANGE: 1, Light.RED: 2}
    before = rules.domain_lights(SIGNALS, present)
    after = rules.domain_lights(SIGNALS, present | {extra})
    assert all(order[Light(after[d].light)] >= order[Light(before[d].light)] for d in before)


# --- advice and route can never disagree ---------------------------------------------------

# "Agree" (written down): the advice REGULAR goes with the route REGULAR and only with it;
# EXPLORE_WORK_CARE with WORK_CARE and only with it; REFER_MEDIATOR with W², the youth track or
# outreach (the routes a work-welfare mediator takes up) and only with those.
AGREE = {
    Advice.REGULAR: {Route.REGULAR},
    Advice.EXPLORE_WORK_CARE: {Route.WORK_CARE},
    Advice.REFER_MEDIATOR: {Route.W2, Route.YOUTH, Route.OUTREACH},
}

checklists = st.lists(
    st.builds(
        S,
        code=st.text("abcdefgh", min_size=1, max_size=4),
        domain=st.sampled_from(LifeDomain.values),
        weight=st.integers(1, 3),
        mmpps=st.booleans(),
    ),
    max_size=25,
    unique_by=lambda s: s.code,
)


@st.composite
def screenings(draw):
    signals = draw(st.one_of(st.just(CHECKLIST), checklists))
    present = draw(st.sets(st.sampled_from([s.code for s in signals]))) if signals else set()
    return {
        "signals": signals,
        "present": present,
        "age": draw(st.integers(16, 67)),
        "registered": draw(st.booleans()),
        "motivation": draw(st.sampled_from(Motivation.values)),
        "outflow": draw(st.sampled_from(Outlook.values)),
        "funded": draw(st.frozensets(st.sampled_from(Route.values))),
        "day": draw(st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))),
    }


@given(screenings())
def test_advice_and_route_never_disagree(screening):
    with translation.override("en"):
        decision = _decide(**screening)
    assert decision.route in AGREE[Advice(decision.advice)]
    assert decision.route_reasons and decision.advice_reasons
    assert decision.non_active is (not screening["registered"])
    # A route that exists only through a call is offered only while one funds it.
    if decision.route in rules.CALL_ONLY_ROUTES:
        assert decision.route in screening["funded"]
    # A pronounced MMPPS problem always leads to work and care (source 003).
    if rules.mmpps_pronounced(screening["signals"], screening["present"]):
        assert decision.route == Route.WORK_CARE
    # The advice's words agree too: only a referral advice tells to refer.
    refer = "refer to a work-welfare mediator"
    assert any(refer in r for r in decision.advice_reasons) is (
        decision.advice == Advice.REFER_MEDIATOR
    )


@given(screenings())
def test_without_mmpps_signals_work_and_care_needs_a_need_so_great(screening):
    signals, present = screening["signals"], screening["present"]
    assume_no_mmpps = not any(s.mmpps and s.code in present for s in signals)
    decision = _decide(**screening)
    red = sum(1 for v in rules.domain_lights(signals, present).values() if v.light == Light.RED)
    if assume_no_mmpps and decision.route == Route.WORK_CARE:
        assert red >= rules.WELFARE_NEED_RED_DOMAINS


@given(checklists, st.data())
def test_pronounced_does_not_depend_on_the_life_domain(signals, data):
    present = data.draw(st.sets(st.sampled_from([s.code for s in signals]))) if signals else set()
    moved = [
        S(s.code, data.draw(st.sampled_from(LifeDomain.values)), s.weight, s.mmpps) for s in signals
    ]
    assert rules.mmpps_pronounced(signals, present) == rules.mmpps_pronounced(moved, present)
