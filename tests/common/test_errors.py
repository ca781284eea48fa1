"""Error pages: generic, with the request's correlation id, never a traceback or detail."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tandem.common import request_id
from tandem.common.request_id import RequestIdFilter

from .error_urls import SECRET_DETAIL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.error_urls")]

CODE_LINE = "Geef deze code door aan je beheerder"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log():
    handler = _Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def _assert_generic(response, status):
    assert response.status_code == status
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    body = response.content.decode()
    assert CODE_LINE in body
    assert rid in body
    assert "Traceback" not in body
    assert SECRET_DETAIL not in body
    assert "RuntimeError" not in body
    return rid


def test_a_server_error_shows_the_id_and_nothing_else(request_log):
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/boom/")
    rid = _assert_generic(response, 500)
    assert "Something went wrong" in response.content.decode()
    # The log line about the error carries the same id, so the administrator finds it.
    logged = [r for r in request_log if r.levelno == logging.ERROR]
    assert logged and logged[0].request_id == rid
    assert "Content-Security-Policy" in response


def test_a_server_error_page_still_shows_the_id_when_its_template_fails(monkeypatch):
    from tandem.common import errors

    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = Client(raise_request_exception=False).get("/test-errors/boom/")
    _assert_generic(response, 500)


def test_not_found(mediator_client, request_log):
    response = mediator_client.get("/persons/00000000-0000-4000-8000-000000000000/")
    rid = _assert_generic(response, 404)
    assert "Pagina niet gevonden" in response.content.decode()
    assert [r.request_id for r in request_log] == [rid]


def test_not_found_for_anonymous_users(client):
    _assert_generic(client.get("/no-such-page/"), 404)


def test_permission_denied(mediator_client):
    response = mediator_client.get("/test-errors/forbidden/")
    _assert_generic(response, 403)
    assert "Je hebt geen toegang" in response.content.decode()


def test_a_refused_action_is_the_403_page_not_a_server_error(mediator_client, request_log):
    """Services refuse with the builtin PermissionError; no view has to catch it."""
    mediator_client.raise_request_exception = False
    response = mediator_client.get("/test-errors/refused/")
    rid = _assert_generic(response, 403)
    assert "Je hebt geen toegang" in response.content.decode()
    assert [(r.levelno, r.request_id) for r in request_log] == [(logging.WARNING, rid)]


def test_the_operating_system_refusing_a_file_stays_a_server_error(mediator_client):
    mediator_client.raise_request_exception = False
    _assert_generic(mediator_client.get("/test-errors/file-refused/"), 500)


def test_bad_request():
    response = Client(raise_request_exception=False).get("/test-errors/suspicious/")
    _assert_generic(response, 400)


def test_a_refused_form_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    _assert_generic(response, 403)
    assert "Het formulier werd niet aanvaard" in response.content.decode()


def test_handler500_works_without_debug(settings):
    assert settings.DEBUG is False
    with override_settings(DEBUG=False):
        response = Client(raise_request_exception=False).get("/test-errors/boom/")
    assert response.status_code == 500


def test_log_records_outside_a_request_get_a_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"
    token = request_id.bind("abc")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        RequestIdFilter().filter(record)
        assert record.request_id == "abc"
    finally:
        request_id.unbind(token)
