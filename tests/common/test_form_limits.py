"""Every form of the project refuses dates that cannot be true and text that is too long.

The form classes are found by walking every module of ``tandem`` (forms live in forms*.py and
in some views*.py), plus the forms the admin builds for each registered model; a form added
later with a bare ``forms.DateField`` or an unlimited textarea fails here."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation

import tandem
from tandem.common import dates
from tandem.common.dates import DateKind, date_bounds, implausible_date
from tandem.common.text import NOTE_MAX, LimitedTextField, LongTextField


def _project_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for info in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, forms.BaseForm)
                and obj.__module__.startswith("tandem.")
                and obj.__module__ == module.__name__
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[key] for key in sorted(found)]


PROJECT_FORMS = _project_forms()


def _admin_forms() -> list[tuple[str, type[forms.BaseForm]]]:
    from tandem.accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("c2-admin", password="x")
    return [
        (f"admin {model._meta.label}", model_admin.get_form(request))
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("tandem.")
    ]


def _rejects(form_class: type[forms.BaseForm], name: str, field: forms.Field, raw: str) -> bool:
    try:
        field.clean(raw)
    except ValidationError:
        return True
    # A ModelForm also runs the model field's validators (in full_clean).
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None:
        try:
            value = field.to_python(raw)
            for validator in model._meta.get_field(name).validators:
                validator(value)
        except ValidationError:
            return True
    return False


def test_the_walk_finds_the_forms():
    names = {f.__name__ for f in PROJECT_FORMS}
    assert {"ContactForm", "HouseholdMemberForm", "PersonForm", "ScreeningForm"} <= names
    assert len(PROJECT_FORMS) > 40


@pytest.mark.django_db
def test_every_date_field_of_every_form_refuses_year_1_and_9999():
    checked, problems = 0, []
    for where, form_class in [
        *((f"{f.__module__}.{f.__qualname__}", f) for f in PROJECT_FORMS),
        *_admin_forms(),
    ]:
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.DateField) or isinstance(field, forms.DateTimeField):
                continue
            checked += 1
            for raw in ("0001-01-01", "9999-12-31"):
                if not _rejects(form_class, name, field, raw):
                    problems.append(f"{where}.{name} accepts {raw}")
    assert checked >= 30  # the walk reached the forms
    assert not problems, "\n".join(problems)


def test_every_textarea_of_every_form_has_a_limit():
    problems = [
        f"{f.__module__}.{f.__qualname__}.{name}"
        for f in PROJECT_FORMS
        for name, field in f.base_fields.items()
        if isinstance(field.widget, forms.Textarea) and not getattr(field, "max_length", None)
    ]
    assert not problems, "textareas without a max_length: " + ", ".join(problems)


def test_every_free_text_model_field_is_limited():
    from django.apps import apps
    from django.db import models

    problems = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("tandem.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not isinstance(field, LimitedTextField)
    ]
    assert not problems, "TextFields without a limit: " + ", ".join(problems)


TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("kind", "day", "plausible"),
    [
        (DateKind.EVENT, dt.date(1, 1, 1), False),
        (DateKind.EVENT, dt.date(1999, 12, 31), False),
        (DateKind.EVENT, dt.date(2000, 1, 1), True),  # the earliest event
        (DateKind.EVENT, dt.date(2018, 3, 1), True),  # a legacy trajectory
        (DateKind.EVENT, TODAY, True),
        (DateKind.EVENT, TODAY + dt.timedelta(days=366), True),  # planned a year ahead
        (DateKind.EVENT, TODAY + dt.timedelta(days=367), False),
        (DateKind.EVENT, dt.date(9999, 12, 31), False),
        (DateKind.BIRTH, dt.date(1800, 5, 1), False),  # the household member born in 1800
        (DateKind.BIRTH, dt.date(1899, 12, 31), False),
        (DateKind.BIRTH, dt.date(1900, 1, 1), True),
        (DateKind.BIRTH, TODAY, True),  # a baby born today joins the household
        (DateKind.BIRTH, TODAY + dt.timedelta(days=1), False),
        (DateKind.BIRTH, dt.date(9999, 12, 31), False),
        (DateKind.PERIOD, dt.date(2014, 1, 1), True),  # an ESF call of 2014-2020
        (DateKind.PERIOD, dt.date(2036, 12, 7), True),  # a project ten years ahead
        (DateKind.PERIOD, dt.date(2036, 12, 8), False),
        (DateKind.PERIOD, dt.date(1, 1, 1), False),
    ],
)
def test_plausible_dates(kind, day, plausible):
    assert (implausible_date(day, kind, TODAY) is None) is plausible


def test_the_message_says_what_is_wrong_and_what_would_be_right():
    with translation.override("nl"):
        message = implausible_date(dt.date(1, 1, 1), DateKind.EVENT, TODAY)
        birth = implausible_date(dt.date(1800, 1, 1), DateKind.BIRTH, TODAY)
    assert "0001" in message and "2000" in message and "2027" in message
    assert "1800" in birth and "1900" in birth and "geboortedatum" in birth


def test_the_date_picker_is_limited_to_the_same_bounds():
    html = dates.EventDateField(label="Datum").widget.render("on", None)
    earliest, latest = date_bounds(DateKind.EVENT, timezone.localdate())
    assert f'min="{earliest.isoformat()}"' in html and f'max="{latest.isoformat()}"' in html


def test_a_form_refuses_10001_characters_naming_the_field():
    from tandem.trajectories.plan.forms import ContactForm

    form = ContactForm(
        data={"kind": "office", "on": timezone.localdate().isoformat(), "text": "a" * 10_001}
    )
    with translation.override("nl"):
        assert not form.is_valid()
        message = " ".join(form.errors["text"])
    assert message.startswith("Notitie:"), message
    assert "10001" in message and str(NOTE_MAX) in message
    assert 'maxlength="4000"' in str(form["text"])


def test_line_breaks_count_once_as_the_browser_counts_them():
    field = LongTextField(label="Notitie", max_length=10)
    assert field.clean("abcd\r\nefgh") == "abcd\nefgh"  # 9 characters, as the counter said


def test_the_model_refuses_too_long_text_also_without_a_form():
    from tandem.trajectories.models import Contact

    contact = Contact(kind="office", on=TODAY, text="a" * (NOTE_MAX + 1))
    with pytest.raises(ValidationError) as caught:
        contact.full_clean(exclude=["trajectory", "author"], validate_constraints=False)
    assert list(caught.value.message_dict) == ["text"]
    contact.text = "a" * NOTE_MAX
    contact.full_clean(exclude=["trajectory", "author"], validate_constraints=False)
