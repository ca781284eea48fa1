import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.registry import insz


@pytest.mark.parametrize(
    ("number", "birth"),
    [
        # Born in the 20th century: 97 - (850730033 mod 97) = 28.
        ("85073003328", dt.date(1985, 7, 30)),
        ("85.07.30-033.28", dt.date(1985, 7, 30)),
        # Born in 2000 or later: the checksum is computed over 2 followed by the nine digits.
        ("00010100105", dt.date(2000, 1, 1)),
        ("17 07 30 033 84", dt.date(2017, 7, 30)),
    ],
)
def test_valid_numbers_give_the_birth_date(number, birth):
    parsed = insz.parse(number)
    assert parsed.birth_date == birth
    assert not parsed.is_bis


def test_century_follows_the_checksum_not_the_year_digits():
    # The same six date digits, different check digits: 1900s versus 2000s.
    assert insz.parse(insz.make(dt.date(1905, 3, 4), 12)).birth_date == dt.date(1905, 3, 4)
    assert insz.parse(insz.make(dt.date(2005, 3, 4), 12)).birth_date == dt.date(2005, 3, 4)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("85073003327", "checksum"),  # wrong check digits
        ("8507300332", "length"),  # too short
        ("850730033288", "length"),  # too long
        ("8507300332A", "length"),  # a letter
        ("", "length"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(insz.InszError) as caught:
        insz.parse(number)
    assert caught.value.code == code
    assert str(caught.value)  # a message for the user
    assert not insz.is_valid(number)


def test_the_reason_is_in_the_users_language():
    from django.utils import translation

    with translation.override("nl"), pytest.raises(insz.InszError, match="11 cijfers"):
        insz.parse("123")
    with translation.override("en"), pytest.raises(insz.InszError, match="11 digits"):
        insz.parse("123")


def test_an_impossible_date_is_refused_even_with_matching_check_digits():
    first9 = 850231001  # 31 February 1985
    number = f"{first9}{97 - first9 % 97:02d}"
    with pytest.raises(insz.InszError) as caught:
        insz.parse(number)
    assert caught.value.code == "birth_date"


def test_bis_number_has_month_plus_20_or_40():
    first9 = 854730001  # month 47 = July + 40 (BIS, gender known)
    number = f"{first9}{97 - first9 % 97:02d}"
    parsed = insz.parse(number)
    assert parsed.is_bis
    assert parsed.birth_date == dt.date(1985, 7, 30)


def test_mask_shows_only_the_check_digits():
    assert insz.mask("85073003328") == "••.••.••-•••.28"
    assert "850730" not in insz.mask("85073003328")


@given(
    birth=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
    sequence=st.integers(min_value=1, max_value=998),
)
def test_made_numbers_parse_back_to_their_birth_date(birth, sequence):
    number = insz.make(birth, sequence)
    parsed = insz.parse(number)
    assert parsed.birth_date == birth
    assert parsed.sequence == sequence


@given(
    birth=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
    sequence=st.integers(min_value=1, max_value=998),
    delta=st.integers(min_value=1, max_value=96),
)
def test_any_other_check_digits_are_refused(birth, sequence, delta):
    number = insz.make(birth, sequence)
    wrong = (int(number[9:]) + delta) % 97 or 97
    if wrong == int(number[9:]):
        return
    other_century_check = 97 - (
        (int(number[:9]) + (0 if birth.year >= 2000 else 2_000_000_000)) % 97
    )
    if wrong == other_century_check:
        return  # valid for the other century: a different person, not a typo
    assert not insz.is_valid(number[:9] + f"{wrong:02d}")
