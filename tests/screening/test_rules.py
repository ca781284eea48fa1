"""The screening rules on plain data: lights, advice and route, with their reasons."""

from hypothesis import given
from hypothesis import strategies as st

from tandem.common.models import LifeDomain
from tandem.screening import rules
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


def _route(
    present, *, age=35, registered=True, motivation=Motivation.SUFFICIENT, outflow=Outlook.YES
):
    lights = rules.domain_lights(SIGNALS, present)
    pronounced = rules.mmpps_pronounced(SIGNALS, present)
    return rules.route(
        age=age,
        registered=registered,
        lights=lights,
        pronounced_mmpps=pronounced,
        motivation=motivation,
        outflow_within_two_years=outflow,
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


def test_advice_refers_to_a_mediator_when_poverty_blocks_work():
    lights = rules.domain_lights(SIGNALS, {"debts", "childcare"})
    advice = rules.advice(lights, pronounced_mmpps=False)
    assert advice.code == Advice.REFER_MEDIATOR
    assert any("financiën" in r.lower() or "finances" in r.lower() for r in advice.reasons)


def test_a_single_orange_domain_is_followed_up_in_regular_guidance():
    lights = rules.domain_lights(SIGNALS, {"digital"})
    assert rules.advice(lights, pronounced_mmpps=False).code == Advice.REGULAR


def test_pronounced_mmpps_leads_to_work_and_care():
    outcome, _ = _route({"psychiatric", "debts"})
    assert outcome.code == Route.WORK_CARE
    lights = rules.domain_lights(SIGNALS, {"psychiatric", "debts"})
    assert rules.advice(lights, pronounced_mmpps=True).code == Advice.EXPLORE_WORK_CARE


def test_mmpps_that_dominate_lead_to_work_and_care_even_when_not_pronounced():
    outcome, _ = _route({"complaints", "substance", "digital"})
    assert outcome.code == Route.WORK_CARE


def test_w2_when_poverty_barriers_motivation_and_outflow_are_there():
    outcome, non_active = _route({"debts", "bad-housing", "complaints"})
    assert outcome.code == Route.W2
    assert not non_active
    assert outcome.reasons


def test_no_w2_without_sufficient_motivation_or_outflow():
    for kwargs in (
        {"motivation": Motivation.DOUBTFUL},
        {"outflow": Outlook.NO},
        {"outflow": Outlook.UNKNOWN},
    ):
        outcome, _ = _route({"debts", "bad-housing"}, **kwargs)
        assert outcome.code == Route.REGULAR, kwargs


def test_youth_track_for_18_to_25_with_high_needs():
    high_needs = {"no-income", "bad-housing", "high-rent"}
    assert _route(high_needs, age=22)[0].code == Route.YOUTH
    assert _route(high_needs, age=25)[0].code == Route.YOUTH
    assert _route(high_needs, age=26)[0].code == Route.W2
    assert _route({"debts"}, age=20)[0].code == Route.W2  # not high needs


def test_no_signals_means_regular_mediation():
    assert _route(set())[0].code == Route.REGULAR


def test_not_registered_is_marked_non_active_with_a_reason():
    outcome, non_active = _route({"debts", "bad-housing"}, registered=False)
    assert non_active
    assert outcome.code == Route.W2
    assert len(outcome.reasons) == 2


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


@given(
    st.sets(st.sampled_from([s.code for s in SIGNALS])),
    st.integers(18, 64),
    st.booleans(),
    st.sampled_from(list(Motivation)),
    st.sampled_from(list(Outlook)),
)
def test_every_route_comes_with_reasons(present, age, registered, motivation, outflow):
    outcome, non_active = _route(
        present, age=age, registered=registered, motivation=motivation, outflow=outflow
    )
    assert outcome.code in Route.values
    assert outcome.reasons
    assert non_active is (not registered)
    if rules.mmpps_pronounced(SIGNALS, present):
        assert outcome.code == Route.WORK_CARE
