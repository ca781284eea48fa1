"""The shared form → service → message → redirect step (tandem/common/flows.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tandem.common.flows import submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_get_shows_the_form_and_never_saves():
    saved = []
    request = _request("GET")
    assert submit(request, NameForm(), saved.append, then="/done/") is None
    assert saved == []


def test_invalid_form_is_shown_again_without_saving():
    saved = []
    request = _request("POST", {"name": ""})
    form = NameForm(request.POST)
    assert submit(request, form, saved.append, then="/done/") is None
    assert saved == [] and "name" in form.errors


@pytest.mark.django_db
def test_saved_form_redirects_with_the_message():
    request = _request("POST", {"name": "Amina"})
    response = submit(
        request,
        NameForm(request.POST),
        lambda data: data["name"].upper(),
        message=lambda result: f"{result} saved",
        then=lambda result: f"/people/{result}/",
    )
    assert response is not None and response.status_code == 302
    assert response["Location"] == "/people/AMINA/"
    assert [str(m) for m in get_messages(request)] == ["AMINA saved"]


@pytest.mark.django_db
def test_service_refusal_lands_on_the_field_it_names_and_no_message():
    request = _request("POST", {"name": "Amina"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "This name is taken.", "other": "Not on this form."})

    assert submit(request, form, refuse, message="saved", then="/done/") is None
    assert form.errors["name"] == ["This name is taken."]
    assert form.non_field_errors() == ["Not on this form."]
    assert list(get_messages(request)) == []


@pytest.mark.django_db
def test_press_runs_a_formless_action_and_always_goes_back():
    from tandem.common.flows import press

    request = _request("POST")
    response = press(request, lambda: 3, message=lambda n: f"{n} done", then="/back/")
    assert response.status_code == 302 and response["Location"] == "/back/"
    assert [str(m) for m in get_messages(request)] == ["3 done"]

    request = _request("POST")

    def refuse():
        raise ValidationError("Already done.")

    response = press(request, refuse, message="never shown", then="/back/")
    assert response["Location"] == "/back/"
    messages = list(get_messages(request))
    assert [str(m) for m in messages] == ["Already done."] and messages[0].level_tag == "error"
