"""The example partner client (examples/referral_inbox.py) against a live Tandem: it lists the
inbox and answers one referral over real HTTP, as a partner's script would."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from tandem.network.models import Referral

from .helpers import api_client_for
from .test_referrals import _referral

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "referral_inbox.py"


def _run(live_server, token: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANDEM_API_TOKEN": token or ""}
    return subprocess.run(  # noqa: S603 - our own script, with the interpreter running the tests
        [sys.executable, str(SCRIPT), "--base-url", live_server.url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_the_example_reads_the_inbox_and_answers_one(live_server, mediator, person, ocmw):
    from tandem.network.consent.services import consent_give
    from tests.api.test_referrals import TODAY

    consent_give(
        acting_user=mediator,
        person=person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY,
    )
    referral = _referral(mediator, person, ocmw)
    _client, token = api_client_for(ocmw)

    listed = _run(live_server, token)
    assert listed.returncode == 0, listed.stderr
    assert "1 open referrals" in listed.stdout and str(referral.public_id) in listed.stdout
    assert person.last_name not in listed.stdout  # it prints no person data

    refused = _run(live_server, token, "--answer", "decline")
    assert refused.returncode == 1 and "reason" in refused.stderr  # the problem names the field

    answered = _run(live_server, token, "--answer", "accept", "--note", "We bellen haar.")
    assert answered.returncode == 0, answered.stderr
    assert f"Answered {referral.public_id}: now accepted" in answered.stdout
    assert Referral.objects.get(pk=referral.pk).status == "accepted"

    assert _run(live_server, None).returncode == 2
    wrong = _run(live_server, "tdm_00000000_wrong")
    assert wrong.returncode == 1 and "401" in wrong.stderr
