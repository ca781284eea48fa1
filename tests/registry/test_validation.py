"""The one check of a person's identifying fields (tandem.registry.validation), shared by the
person forms and the importers."""

import datetime as dt
import inspect

import pytest
from django.utils import translation

from tandem.registry import insz, validation
from tandem.registry.validation import person_field_errors, refused_character

BIRTH = dt.date(1985, 7, 30)
TODAY = dt.date(2026, 1, 15)
MAN = insz.make(BIRTH, 33)  # odd sequence: a man
WOMAN = insz.make(BIRTH, 34)  # even sequence: a woman


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors(**kwargs):
    data = {"first_name": "Yasmina", "last_name": "Amrani", "birth_date": BIRTH, "today": TODAY}
    return person_field_errors(**{**data, **kwargs})


def test_a_plain_person_has_no_errors():
    assert errors() == {}
    assert errors(insz=MAN) == {}
    assert errors(insz=insz.parse(WOMAN).formatted) == {}
    assert errors(first_name="Zoë-Louïse", last_name="O'Neil van den Broeck-Özdemir") == {}
    assert errors(first_name="محمد", last_name="Nguyễn Thị") == {}


@pytest.mark.parametrize(
    "bad",
    [
        "\u202e",  # right-to-left override
        "\u202a",  # left-to-right embedding
        "\u2066",  # left-to-right isolate
        "\u200f",  # right-to-left mark
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\ufeff",  # byte order mark / zero-width no-break space
        "\x00",  # NUL
        "\t",
        "\n",
        "\x1b",  # escape
        "\x85",  # next line (C1)
        "\u2028",  # line separator
        "\ue000",  # private use
    ],
)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_invisible_and_control_characters_are_refused_naming_the_field(bad, field):
    found = errors(**{field: f"Jan{bad}sen"})
    assert list(found) == [field]
    label = "First name" if field == "first_name" else "Last name"
    assert found[field][0].startswith(f"{label}: ")
    assert f"U+{ord(bad):04X}" in found[field][0]


def test_refused_character_names_the_first_one():
    assert refused_character("Ab\u202ec\x00") == "U+202E"
    assert refused_character("Jansen") is None


def test_empty_and_too_long_names():
    assert errors(first_name="  ")["first_name"] == ["First name: enter a name."]
    assert errors(last_name=None)["last_name"] == ["Last name: enter a name."]
    assert errors(last_name="x" * 101)["last_name"] == [
        "Last name: 101 characters; at most 100 fit."
    ]


@pytest.mark.parametrize("day", [dt.date(1800, 1, 1), dt.date(1899, 12, 31), dt.date(2090, 1, 1)])
def test_birth_dates_out_of_bounds(day):
    found = errors(birth_date=day)
    assert list(found) == ["birth_date"]
    assert found["birth_date"][0].startswith("Birth date: ")


def test_birth_date_bounds_are_inclusive_and_required():
    assert errors(birth_date=dt.date(1900, 1, 1)) == {}
    assert errors(birth_date=TODAY) == {}
    assert errors(birth_date=None) == {"birth_date": ["Birth date: enter a date."]}


def test_an_invalid_insz_names_the_field():
    found = errors(insz="85073003327")
    assert list(found) == ["insz"]
    assert found["insz"][0].startswith("National number (INSZ): ")


def test_an_insz_of_another_birth_date_is_refused():
    other = insz.make(dt.date(1990, 1, 2), 33)
    found = errors(insz=other)
    assert found["insz"] == [
        "National number (INSZ): the number belongs to someone born on 02/01/1990, not on the "
        "birth date entered."
    ]


def test_the_sex_a_number_encodes_is_never_compared_with_the_gender():
    # The gender is what the person gives; the number follows the sex registered when it was
    # issued. A person's true number is never refused for it.
    assert "sex" not in inspect.signature(validation.person_field_errors).parameters
    assert errors(insz=WOMAN) == {} and errors(insz=MAN) == {}


def test_messages_are_translated():
    with translation.override("nl"):
        found = errors(first_name="Jan\u202esen", birth_date=dt.date(2090, 1, 1))
    assert found["first_name"][0].startswith("Voornaam: ")
    assert found["birth_date"][0].startswith("Geboortedatum: ")
