"""Security headers on person pages (and every page): CSP with a nonce, no framing, nosniff,
Referrer-Policy, no caching of anything a logged-in user sees; a correlation id everywhere."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_person

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-[A-Za-z0-9+/=]{16,}'")


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def _assert_hardened(response):
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert len(csp["script-src"]) == 2 and NONCE.fullmatch(csp["script-src"][1])
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_person_page_carries_every_header(mediator_client, mediator):
    person = make_person(mediator, first_name="Sara", last_name="Vandeputte")
    response = mediator_client.get(reverse("registry:person_detail", args=[person.public_id]))
    assert response.status_code == 200
    _assert_hardened(response)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", ["home:home", "registry:person_search", "registry:person_create"])
def test_logged_in_pages_carry_every_header(mediator_client, name):
    response = mediator_client.get(reverse(name))
    assert response.status_code == 200
    _assert_hardened(response)
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_is_hardened_too(client):
    _assert_hardened(client.get(reverse("accounts:login")))


def test_each_page_gets_its_own_nonce_and_request_id(mediator_client):
    one = mediator_client.get(reverse("home:home"))
    two = mediator_client.get(reverse("home:home"))
    assert (
        NONCE.search(one["Content-Security-Policy"]).group()
        != NONCE.search(two["Content-Security-Policy"]).group()
    )
    assert one["X-Request-ID"] != two["X-Request-ID"]


def test_templates_use_no_inline_style_or_script():
    """style-src 'self' without 'unsafe-inline': an inline style would silently not apply."""
    templates = settings.BASE_DIR / "tandem" / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle\s*=|<style[\s>]|<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)", text):
            offenders.append(str(path.relative_to(templates)))
    assert not offenders, f"inline style or script in {offenders}"
