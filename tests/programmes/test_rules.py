from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.programmes import rules


def test_forty_sixty_of_the_wij3_call():
    assert rules.split_budget(D("12000000"), D("40")) == (D("4800000.00"), D("7200000.00"))


def test_forty_sixty_of_the_poverty_call_2016():
    esf, cof = rules.split_budget(D("2500000"), D("40"))
    assert (esf, cof) == (D("1000000.00"), D("1500000.00"))
    assert esf + cof == D("2500000")


def test_odd_cents_round_the_esf_part_half_up_and_leave_the_rest_to_cofinancing():
    # 40 % of 0.05 is 0.02 exactly; 40 % of 100.01 is 40.004 → 40.00; of 0.03 is 0.012 → 0.01.
    assert rules.split_budget(D("100.01"), D("40")) == (D("40.00"), D("60.01"))
    assert rules.split_budget(D("0.03"), D("40")) == (D("0.01"), D("0.02"))
    # 33.33 % of 498,143 is 166,031.0619 → 166,031.06; the rest is 332,111.94.
    assert rules.split_budget(D("498143"), D("33.33")) == (D("166031.06"), D("332111.94"))
    # Exactly half a cent rounds up: 50 % of 0.01 is 0.005 → 0.01.
    assert rules.split_budget(D("0.01"), D("50")) == (D("0.01"), D("0.00"))


def test_zero_budget_and_zero_or_full_share():
    assert rules.split_budget(D("0"), D("40")) == (D("0.00"), D("0.00"))
    assert rules.split_budget(D("1000"), D("0")) == (D("0.00"), D("1000.00"))
    assert rules.split_budget(D("1000"), D("100")) == (D("1000.00"), D("0.00"))


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        rules.split_budget(D("-1"), D("40"))
    with pytest.raises(ValueError, match="between 0 and 100"):
        rules.split_budget(D("1"), D("100.01"))


@given(
    budget=st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False),
    share=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
)
def test_the_parts_always_add_up_to_the_budget(budget, share):
    esf, cof = rules.split_budget(budget, share)
    assert esf + cof == budget
    assert esf >= 0 and cof >= 0
    assert abs(esf - budget * share / 100) <= D("0.005")
    assert rules.split_complete(budget, esf, cof)


def test_percentages_and_split_checks():
    assert rules.percentages_complete(D("40"), D("60"))
    assert rules.percentages_complete(D("33.33"), D("66.67"))
    assert not rules.percentages_complete(D("40"), D("50"))
    assert rules.split_complete(D("10"), D("4.00"), D("6"))
    assert not rules.split_complete(D("10"), D("4.00"), D("6.01"))


def test_call_totals_of_call_478_rows_against_its_stated_total():
    rows = [D("498143"), D("499467"), D("499773"), D("500000"), D("482244")]
    totals = rules.call_totals(D("2479628"), rows)
    assert totals.projects_total == D("2479627")
    assert totals.difference == D("-1")
    assert rules.call_totals(D("0"), []).difference == 0
