"""Consent: give and withdraw (the rules), the consent pages (tenancy, roles, access log, the
PDF form), the "Shared with" summary on the person file and the subject-access export."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.access.scope import consented_domains
from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common import pdf as pdf_module
from tandem.network.consent.services import consent_give, consent_withdraw
from tandem.network.models import Consent
from tandem.privacy import export
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PURPOSE = "begeleiding in het werk-welzijnstraject"


@pytest.fixture
def ocmw_gent(db):
    return OrganisationFactory(
        name="OCMW Gent", code="ocmw-gent-consent", kind=OrganisationKind.OCMW
    )


@pytest.fixture
def client_person(mediator):
    return make_person(mediator, first_name="Yasmina", last_name="Amrani")


@pytest.fixture
def colleague_partner(organisation):
    """A welfare partner of the person's own organisation: may read the file, not consent."""
    return make_user(Role.WELFARE_PARTNER, organisation=organisation, username="colleague")


def _give(user, person, recipient=None, **kwargs):
    values = {
        "domains": ["income", "housing"],
        "purpose": PURPOSE,
        "evidence": "signed_form",
        "given_on": TODAY - dt.timedelta(days=3),
        **kwargs,
    }
    if "recipient_kind" not in kwargs:
        values["recipient_organisation"] = recipient
    return consent_give(acting_user=user, person=person, **values)


def _list_url(person) -> str:
    return reverse("network:consent_list", kwargs={"public_id": person.public_id})


def _consent_url(name: str, consent: Consent) -> str:
    return reverse(
        f"network:{name}",
        kwargs={"public_id": consent.person.public_id, "consent_id": consent.public_id},
    )


def _form(recipient=None, **overrides) -> dict:
    data = {
        "recipient_organisation": str(recipient.pk) if recipient else "",
        "recipient_kind": "",
        "domains": ["income", "housing"],
        "purpose": PURPOSE,
        "evidence": "signed_form",
        "witness": "",
        "given_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    """The page's text with tags dropped and white space folded, as a reader hears it."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- give ------------------------------------------------------------------------------------


def test_give_records_the_consent_and_an_audit_event(mediator, client_person, ocmw_gent):
    consent = _give(mediator, client_person, ocmw_gent, domains=["housing", "income", "income"])
    assert consent.is_active and consent.organisation == mediator.organisation
    assert consent.domains == ["housing", "income"]
    assert consented_domains(client_person.pk, ocmw_gent) == {"income", "housing"}
    event = AuditEvent.objects.get(event_type="consent.given", person=client_person)
    assert event.data["recipient"] == ocmw_gent.code and event.data["evidence"] == "signed_form"


def test_a_consent_for_a_kind_covers_every_organisation_of_that_kind(mediator, client_person):
    caw = OrganisationFactory(name="CAW Oost-Vlaanderen", kind=OrganisationKind.CAW)
    _give(mediator, client_person, recipient_kind=OrganisationKind.CAW, domains=["family"])
    assert consented_domains(client_person.pk, caw) == {"family"}
    other = OrganisationFactory(kind=OrganisationKind.OCMW)
    assert consented_domains(client_person.pk, other) == frozenset()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"domains": []}, "domains"),
        ({"domains": ["income", "astrology"]}, "domains"),
        ({"recipient_kind": OrganisationKind.CAW, "both": True}, "recipient_organisation"),
        ({"none": True}, "recipient_organisation"),
        ({"evidence": "verbal_with_witness", "witness": "  "}, "witness"),
        ({"given_on": TODAY + dt.timedelta(days=1)}, "given_on"),
    ],
    ids=["no-domain", "unknown-domain", "both-recipients", "no-recipient", "verbal", "future"],
)
def test_give_refuses_what_is_not_a_valid_consent(
    mediator, client_person, ocmw_gent, kwargs, field
):
    values = {
        "domains": ["income"],
        "purpose": PURPOSE,
        "evidence": "signed_form",
        "recipient_organisation": ocmw_gent,
    }
    if kwargs.pop("none", False):
        values["recipient_organisation"] = None
    kwargs.pop("both", None)
    values.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        consent_give(acting_user=mediator, person=client_person, **values)
    assert field in exc.value.error_dict
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(event_type="consent.given").exists()


def test_verbal_consent_with_a_witness_is_accepted(mediator, client_person, ocmw_gent):
    consent = _give(
        mediator,
        client_person,
        ocmw_gent,
        evidence="verbal_with_witness",
        witness=" Jan Peeters (CAW) ",
    )
    assert consent.witness == "Jan Peeters (CAW)"


def test_only_consent_roles_may_give_or_withdraw(
    mediator, colleague_partner, client_person, ocmw_gent
):
    with pytest.raises(PermissionDenied):
        _give(colleague_partner, client_person, ocmw_gent)
    consent = _give(mediator, client_person, ocmw_gent)
    with pytest.raises(PermissionDenied):
        consent_withdraw(acting_user=colleague_partner, consent=consent)
    assert Consent.objects.get().is_active


# --- withdraw --------------------------------------------------------------------------------


def test_withdrawal_takes_effect_at_once(mediator, client_person, ocmw_gent):
    consent = _give(mediator, client_person, ocmw_gent)
    assert consented_domains(client_person.pk, ocmw_gent) == {"income", "housing"}
    consent_withdraw(acting_user=mediator, consent=consent)
    consent.refresh_from_db()
    assert not consent.is_active
    assert consent.withdrawn_on == TODAY and consent.withdrawn_by == mediator
    assert consented_domains(client_person.pk, ocmw_gent) == frozenset()
    assert AuditEvent.objects.filter(event_type="consent.withdrawn", person=client_person).count()


def test_a_consent_cannot_be_withdrawn_twice(mediator, client_person, ocmw_gent):
    consent = _give(mediator, client_person, ocmw_gent)
    consent_withdraw(acting_user=mediator, consent=consent)
    with pytest.raises(ValidationError):
        consent_withdraw(acting_user=mediator, consent=consent)
    assert AuditEvent.objects.filter(event_type="consent.withdrawn").count() == 1


def test_another_consent_in_force_still_counts_after_a_withdrawal(
    mediator, client_person, ocmw_gent
):
    first = _give(mediator, client_person, ocmw_gent, domains=["income"])
    _give(mediator, client_person, ocmw_gent, domains=["housing"])
    consent_withdraw(acting_user=mediator, consent=first)
    assert consented_domains(client_person.pk, ocmw_gent) == {"housing"}


# --- the consent page ------------------------------------------------------------------------


def test_the_page_says_in_plain_words_what_is_shared_with_whom(
    mediator_client, mediator, client_person, ocmw_gent
):
    given = TODAY - dt.timedelta(days=3)
    _give(mediator, client_person, ocmw_gent, given_on=given)
    old = _give(
        mediator,
        client_person,
        recipient_kind=OrganisationKind.CAW,
        domains=["family"],
        evidence="verbal_with_witness",
        witness="Jan Peeters",
        purpose="schuldhulp",
        given_on=given,
    )
    consent_withdraw(acting_user=mediator, consent=old)
    response = mediator_client.get(_list_url(client_person))
    assert response.status_code == 200
    text = _text(response)
    assert (
        f"OCMW Gent mag zien: financiën en schulden, huisvesting — voor: {PURPOSE} — "
        f"sinds {given:%d/%m/%Y} (ondertekend formulier)"
    ) in text
    assert (
        "Elke organisatie van het soort “CAW (Centrum Algemeen Welzijnswerk)” mag zien: "
        "huiselijke relaties en kinderopvang — voor: schuldhulp — "
        f"sinds {given:%d/%m/%Y} (mondeling, getuige: Jan Peeters) — "
        f"ingetrokken op {TODAY:%d/%m/%Y}"
    ) in text
    assert [c.pk for c in response.context["withdrawn"]] == [old.pk]
    assert len(response.context["active"]) == 1
    assert response.context["form"] is not None
    assert AccessLog.objects.filter(
        person=client_person, what="consents", user=mediator, purpose="case work"
    ).exists()


def test_record_a_consent_through_the_form(mediator_client, client_person, ocmw_gent):
    response = mediator_client.post(_list_url(client_person), _form(ocmw_gent))
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response.url == f"{_list_url(client_person)}#consent-{consent.public_id}"
    assert consent.recipient_organisation == ocmw_gent and consent.domains == ["housing", "income"]
    assert consent.given_on == TODAY and consent.purpose == PURPOSE
    page = mediator_client.get(response.url)
    assert "De toestemming is vastgelegd." in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"domains": []}, "domains", "Kies minstens één levensdomein."),
        (
            {"recipient_kind": "caw"},
            "recipient_organisation",
            "Kies één organisatie, of één soort organisatie.",
        ),
        (
            {"recipient_organisation": ""},
            "recipient_organisation",
            "Kies één organisatie, of één soort organisatie.",
        ),
        (
            {"evidence": "verbal_with_witness"},
            "witness",
            "Een mondelinge toestemming vraagt de naam van een getuige.",
        ),
        (
            {"given_on": (TODAY + dt.timedelta(days=2)).isoformat()},
            "given_on",
            "Een toestemming kan niet in de toekomst gegeven zijn.",
        ),
    ],
    ids=["no-domain", "both-recipients", "no-recipient", "verbal", "future"],
)
def test_the_form_names_what_is_wrong(
    mediator_client, client_person, ocmw_gent, overrides, field, message
):
    response = mediator_client.post(_list_url(client_person), _form(ocmw_gent, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field]
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not Consent.objects.exists()


def test_a_role_that_may_not_record_consent_reads_without_the_form(
    client, colleague_partner, mediator, client_person, ocmw_gent
):
    consent = _give(mediator, client_person, ocmw_gent)
    client.force_login(colleague_partner)
    response = client.get(_list_url(client_person))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'id="consent-form"' not in response.content.decode()
    assert "consent-withdraw-link" not in response.content.decode()
    assert client.post(_list_url(client_person), _form(ocmw_gent)).status_code == 403
    for method in (client.get, client.post):
        assert method(_consent_url("consent_withdraw", consent)).status_code == 403
    assert Consent.objects.count() == 1 and Consent.objects.get().is_active
    assert client.get(_consent_url("consent_pdf", consent)).status_code == 200


def test_roles_without_person_files_get_403(client, organisation, client_person):
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=organisation)
    client.force_login(manager)
    assert client.get(_list_url(client_person)).status_code == 403


def test_another_organisations_person_is_a_404(
    client, other_mediator, mediator, client_person, ocmw_gent
):
    consent = _give(mediator, client_person, ocmw_gent)
    client.force_login(other_mediator)
    responses = [
        client.get(_list_url(client_person)),
        client.post(_list_url(client_person), _form(ocmw_gent)),
        client.get(_consent_url("consent_withdraw", consent)),
        client.post(_consent_url("consent_withdraw", consent)),
        client.get(_consent_url("consent_pdf", consent)),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert all(b"Amrani" not in r.content for r in responses)
    assert Consent.objects.count() == 1 and Consent.objects.get().is_active
    assert not AccessLog.objects.filter(user=other_mediator).exists()


def test_a_consent_is_reached_only_through_its_own_person(
    mediator_client, mediator, client_person, ocmw_gent
):
    consent = _give(mediator, client_person, ocmw_gent)
    sibling = make_person(mediator, first_name="Noor")
    for name in ("consent_withdraw", "consent_pdf"):
        url = reverse(
            f"network:{name}",
            kwargs={"public_id": sibling.public_id, "consent_id": consent.public_id},
        )
        assert mediator_client.get(url).status_code == 404
    assert Consent.objects.get().is_active


def test_withdraw_asks_for_confirmation_then_withdraws(
    mediator_client, mediator, client_person, ocmw_gent
):
    consent = _give(mediator, client_person, ocmw_gent)
    url = _consent_url("consent_withdraw", consent)
    confirm = mediator_client.get(url)
    assert confirm.status_code == 200
    assert 'id="withdraw-form"' in confirm.content.decode()
    assert Consent.objects.get().is_active  # asking is not withdrawing

    response = mediator_client.post(url)
    assert response.status_code == 302 and response.url == _list_url(client_person)
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY
    assert consented_domains(client_person.pk, ocmw_gent) == frozenset()
    page = mediator_client.get(response.url)
    assert page.context["active"] == [] and page.context["withdrawn"] == [consent]

    # A second withdrawal is refused in words; nothing changes.
    again = mediator_client.post(url, follow=True)
    assert "Deze toestemming werd al ingetrokken." in again.content.decode()
    assert AuditEvent.objects.filter(event_type="consent.withdrawn").count() == 1
    assert "al ingetrokken op" in mediator_client.get(url).content.decode()
    assert AccessLog.objects.filter(person=client_person, what="consent withdrawal").count() == 4


def test_the_consent_form_pdf(mediator_client, mediator, client_person, ocmw_gent, monkeypatch):
    rendered: list[str] = []
    real = pdf_module.html_to_pdf

    def spy(html: str, **kwargs: object) -> bytes:
        rendered.append(html)
        return real(html, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "html_to_pdf", spy)
    consent = _give(
        mediator, client_person, ocmw_gent, evidence="verbal_with_witness", witness="Jan Peeters"
    )
    response = mediator_client.get(_consent_url("consent_pdf", consent))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.pdf"')
    assert f"consent-{consent.given_on:%Y%m%d}-{str(consent.public_id)[:8]}" in disposition
    for secret in ("Amrani", "Yasmina", client_person.insz or "-"):
        assert secret not in disposition
    html = rendered[0]
    assert '<html lang="nl">' in html
    for text in (
        "Amrani",
        "OCMW Gent",
        "Financiën en schulden",
        "Huisvesting",
        PURPOSE,
        "Jan Peeters",
        "Handtekening van de persoon",
        "Handtekening van de getuige",
    ):
        assert text in html, text
    assert client_person.insz not in html  # the form identifies by name and birth date
    row = AccessLog.objects.get(person=client_person, what="consent form PDF")
    assert row.user == mediator


def test_the_consent_page_costs_a_constant_number_of_queries(
    mediator_client, mediator, client_person, ocmw_gent
):
    counts = []
    for n in (1, 6):
        while Consent.objects.count() < n:
            _give(mediator, client_person, ocmw_gent)
        mediator_client.get(_list_url(client_person))
        with CaptureQueriesContext(connection) as queries:
            assert mediator_client.get(_list_url(client_person)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- the person file -------------------------------------------------------------------------


def test_the_person_file_says_what_is_shared_with_whom(
    mediator_client, mediator, client_person, ocmw_gent, django_assert_max_num_queries
):
    url = reverse("registry:person_detail", kwargs={"public_id": client_person.public_id})
    body = mediator_client.get(url).content.decode()
    assert 'id="consent-summary"' in body and "Gedeeld met" in body
    assert 'id="consent-summary-none"' in body
    assert _list_url(client_person) in body

    _give(mediator, client_person, ocmw_gent)
    for i in range(4):
        old = _give(mediator, client_person, recipient_kind="caw", purpose=f"oud {i}")
        consent_withdraw(acting_user=mediator, consent=old)
    with django_assert_max_num_queries(12):
        response = mediator_client.get(url)
    text = _text(response)
    assert "OCMW Gent mag zien: financiën en schulden, huisvesting" in text
    assert "oud 0" not in text  # a withdrawn consent is not shared any more
    assert 'id="consent-summary-none"' not in response.content.decode()


# --- the subject-access export ---------------------------------------------------------------


def test_the_export_lists_every_consent(mediator, client_person, ocmw_gent):
    active = _give(mediator, client_person, ocmw_gent)
    old = _give(
        mediator,
        client_person,
        recipient_kind="caw",
        domains=["family"],
        evidence="verbal_with_witness",
        witness="Jan Peeters",
        given_on=TODAY - dt.timedelta(days=10),
    )
    consent_withdraw(acting_user=mediator, consent=old)
    data = export.person_export(client_person)
    assert "consents" not in data["export"]["not_recorded_yet"]
    rows = data["consents"]
    assert [r["public_id"] for r in rows] == [old.public_id, active.public_id]
    first, second = rows
    assert first["recipient_kind"] == "caw" and first["recipient_organisation"] is None
    assert first["domains"] == ["family"]
    assert first["evidence"] == "verbal_with_witness" and first["witness"] == "Jan Peeters"
    assert first["given_on"] == TODAY - dt.timedelta(days=10)
    assert first["withdrawn_on"] == TODAY and first["in_force"] is False
    assert second["recipient_organisation"] == "OCMW Gent"
    assert second["domains"] == ["housing", "income"] and second["purpose"] == PURPOSE
    assert second["withdrawn_on"] is None and second["in_force"] is True

    outline = dict(export.export_outline(data))
    (table,) = outline["Toestemmingen"]
    assert table.kind == "table"
    assert "ontvangende organisatie" in table.columns
    assert any("Huisvesting; Financiën en schulden" in cells for cells in table.cells)
