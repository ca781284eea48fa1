"""The demo's API client (issue 19): ``make demo`` prints a token of OCMW Gent's demo client
among the demo logins, the same one for the same seed, and that token reads the referral
inbox as the README's curl examples do. Never with production settings."""

from __future__ import annotations

import random
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from rest_framework.test import APIClient

from tandem.api.models import ApiClient, ApiToken
from tandem.api.services import api_token_issue
from tandem.audit.models import AccessLog

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"API token \(([^;]+); ([^)]+)\): (tdm_[0-9a-f]{8}_[A-Za-z0-9_-]+)$", re.M)


def _printed_token(capsys) -> tuple[str, str, str]:
    match = TOKEN.search(capsys.readouterr().out)
    assert match, "seed_demo prints no API token"
    return match.group(1), match.group(2), match.group(3)


def test_the_printed_token_reads_the_demo_ocmws_referral_inbox(capsys):
    call_command("seed_demo", "--seed", "7", "--persons", "40")
    name, scopes, token = _printed_token(capsys)
    client = ApiClient.objects.get(name=name)
    assert client.organisation.code == "ocmw-gent"
    assert scopes == "referrals:read, referrals:write, events:read, trajectories:read"
    assert sorted(client.scopes) == sorted(scopes.split(", "))
    assert client.service_user.role_codes == {"welfare_partner"}

    response = APIClient().get("/api/v1/referrals/inbox/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows, "the demo OCMW's inbox is empty"
    shown = {(r["person"]["first_name"], r["person"]["last_name"]) for r in rows if r["person"]}
    logged = set(
        AccessLog.objects.filter(user=client.service_user).values_list(
            "person__first_name", "person__last_name"
        )
    )
    assert shown == logged
    # A scope the client does not have is refused.
    refused = APIClient().get("/api/v1/directory/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403

    # The same seed prints the same token again, without issuing another.
    call_command("seed_demo", "--seed", "7", "--persons", "40")
    assert _printed_token(capsys)[2] == token
    assert ApiClient.objects.filter(name=name).count() == 1
    assert ApiToken.objects.filter(client=client).count() == 1


def test_a_drawn_token_is_refused_with_production_settings(settings, ocmw):
    from tests.api.helpers import api_client_for

    client, _token = api_client_for(ocmw)
    settings.TANDEM_ENVIRONMENT = "production"
    with pytest.raises(ImproperlyConfigured, match="production"):
        api_token_issue(acting_user=None, client=client, demo_draw=random.Random(1))
    assert ApiToken.objects.filter(client=client).count() == 1


def test_the_vdab_demo_client_reaches_the_other_families(capsys):
    """The second demo token (VDAB Gent's system, a mediator's service user) tries the
    README's persons, directory, aggregates and status examples on the demo."""
    from tandem.demo.api_clients import DEMO_VDAB_CLIENT
    from tandem.registry.models import Person

    call_command("seed_demo", "--seed", "7", "--persons", "40")
    printed = {
        m.group(1): (m.group(2), m.group(3)) for m in TOKEN.finditer(capsys.readouterr().out)
    }
    scopes, token = printed[DEMO_VDAB_CLIENT]
    assert "status:write" in scopes and "persons:search" in scopes
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = APIClient()
    for path in ("/api/v1/directory/", "/api/v1/aggregates/group-work/", "/api/v1/trajectories/"):
        assert api.get(path, **auth).status_code == 200, path
    person = Person.objects.filter(organisation__code="vdab-gent", insz__isnull=False).first()
    found = api.post("/api/v1/persons/search/", {"insz": person.insz}, format="json", **auth)
    assert found.status_code == 200, found.content
    assert [r["id"] for r in found.json()["results"]] == [str(person.public_id)]
    # Group work is not among its scopes.
    assert api.get("/api/v1/groupwork/requests/", **auth).status_code == 403
