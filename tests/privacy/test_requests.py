"""The DPO's register of data-subject requests (issue 18): the deadline of art. 12(3) GDPR, the
state machine, scoping to the DPO's organisation, the pages, the audit trail, the home page's
"My work" panel, and what erasure keeps of a request."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, AuditEvent, Purpose
from tandem.common.privacy_hooks import ERASED
from tandem.common.states import TransitionNotAllowed
from tandem.home.work import dpo as work_dpo
from tandem.privacy import erasure
from tandem.privacy.export import person_export
from tandem.privacy.requests import rules, services
from tandem.privacy.requests.models import (
    RequestKind,
    RequestStatus,
    SubjectRequest,
    SubjectRequestStatusChange,
)
from tandem.privacy.requests.selectors import Show, register_list, requests_waiting
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()
D = dt.date

# --- the deadline: art. 12(3) GDPR -----------------------------------------------------------

# (received on, extended, due on): one month of receipt, by calendar month (Regulation
# 1182/71, art. 3(2)(c)); a day missing in the next month is its last day; the extension adds
# two further months to the end of the first.
DUE_DATES = [
    (D(2027, 3, 3), False, D(2027, 4, 3)),  # the same date next month
    (D(2027, 1, 31), False, D(2027, 2, 28)),  # no 31 February: its last day
    (D(2028, 1, 31), False, D(2028, 2, 29)),  # a leap year
    (D(2027, 3, 31), False, D(2027, 4, 30)),
    (D(2027, 12, 15), False, D(2028, 1, 15)),  # over the turn of the year
    (D(2027, 3, 3), True, D(2027, 6, 3)),  # extended: two further months
    (D(2027, 1, 31), True, D(2027, 4, 28)),  # counted from the end of the first month
    (D(2027, 11, 30), True, D(2028, 2, 29)),
    (D(2027, 5, 1), False, D(2027, 6, 1)),  # a Saturday deadline is not moved (stricter)
]


@pytest.mark.parametrize(("received", "extended", "due"), DUE_DATES)
def test_the_due_date_follows_art_12_3_gdpr(received, extended, due):
    assert rules.due_date(received, extended=extended) == due


# (received on, today, may extend): once, within the first month (art. 12(3): the person is
# told of the extension within one month of receipt).
EXTENSIONS = [
    (D(2027, 3, 3), D(2027, 3, 3), True),
    (D(2027, 3, 3), D(2027, 4, 3), True),  # the last day of the first month
    (D(2027, 3, 3), D(2027, 4, 4), False),  # too late
]


@pytest.mark.parametrize(("received", "today", "allowed"), EXTENSIONS)
def test_the_deadline_may_be_extended_only_within_the_first_month(received, today, allowed):
    assert rules.may_extend(received, extended=False, today=today) is allowed
    assert rules.may_extend(received, extended=True, today=today) is False


@given(
    today=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    offset=st.integers(min_value=0, max_value=150),
    extended=st.booleans(),
)
def test_overdue_in_the_database_is_overdue_by_the_rule(today, offset, extended):
    received = today - dt.timedelta(days=offset)
    threshold = rules.last_receipt_overdue(today, extended=extended)
    assert (received <= threshold) is rules.is_overdue(received, extended=extended, today=today)


# --- the services ----------------------------------------------------------------------------


@pytest.fixture
def dpo(organisation):
    return make_user(Role.DATA_PROTECTION_OFFICER, organisation=organisation, username="dpo")


@pytest.fixture
def other_dpo(other_organisation):
    return make_user(
        Role.DATA_PROTECTION_OFFICER, organisation=other_organisation, username="other_dpo"
    )


@pytest.fixture
def person(mediator):
    return make_person(mediator, first_name="Yasmina", last_name="Verzoekster")


def register(dpo, person, *, kind=RequestKind.ACCESS, received_on=None, note=""):
    return services.subject_request_register(
        acting_user=dpo,
        person=person,
        kind=kind,
        channel="letter",
        received_on=received_on or TODAY,
        note=note,
    )


# (from, to, allowed)
MOVES = [
    ("received", "in_progress", True),
    ("received", "done", True),
    ("received", "refused", True),
    ("in_progress", "done", True),
    ("in_progress", "refused", True),
    ("in_progress", "received", False),
    ("done", "in_progress", False),
    ("done", "refused", False),
    ("refused", "done", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to", "allowed"), MOVES)
def test_the_state_machine(dpo, person, start, to, allowed):
    request = register(dpo, person)
    SubjectRequest.objects.filter(pk=request.pk).update(
        status=start, closed_on=TODAY if start in ("done", "refused") else None, outcome="x"
    )
    request.refresh_from_db()
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            services.subject_request_move(
                acting_user=dpo, request=request, to_status=to, reason="Grond"
            )
        return
    services.subject_request_move(acting_user=dpo, request=request, to_status=to, reason="Grond")
    request.refresh_from_db()
    assert request.status == to
    change = SubjectRequestStatusChange.objects.get(request=request)
    assert (change.from_status, change.to_status, change.by) == (start, to, dpo)
    assert (request.closed_on is not None) is (to in ("done", "refused"))


@pytest.mark.django_db
def test_a_refusal_needs_its_reason(dpo, person):
    request = register(dpo, person)
    with pytest.raises(ValidationError) as refused:
        services.subject_request_move(acting_user=dpo, request=request, to_status="refused")
    assert "reason" in refused.value.message_dict
    assert SubjectRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED


@pytest.mark.django_db
def test_an_erasure_request_is_done_only_once_the_data_is_erased(dpo, person):
    request = register(dpo, person, kind=RequestKind.ERASURE, note="Brief van Yasmina")
    with pytest.raises(ValidationError, match=r"Erase|Wis"):
        services.subject_request_move(acting_user=dpo, request=request, to_status="done")
    erasure.person_erase(acting_user=dpo, person=person, reason="Verzoek per brief")
    request.refresh_from_db()
    # The register keeps the request, without what it said about the person.
    assert request.note == ERASED
    assert request.person.first_name == "" and request.person.last_name
    services.subject_request_move(acting_user=dpo, request=request, to_status="done")
    assert SubjectRequest.objects.get(pk=request.pk).status == RequestStatus.DONE


@pytest.mark.django_db
def test_the_extension_is_once_within_the_first_month_with_a_reason(dpo, person):
    request = register(dpo, person, received_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(ValidationError):
        services.subject_request_extend(acting_user=dpo, request=request, reason=" ")
    services.subject_request_extend(acting_user=dpo, request=request, reason="Groot dossier")
    request.refresh_from_db()
    assert request.due_on == rules.due_date(request.received_on, extended=True)
    with pytest.raises(ValidationError):
        services.subject_request_extend(acting_user=dpo, request=request, reason="Nog eens")
    late = register(dpo, person, received_on=rules.last_receipt_overdue(TODAY, extended=False))
    with pytest.raises(ValidationError):
        services.subject_request_extend(acting_user=dpo, request=late, reason="Te laat")


@pytest.mark.django_db
def test_every_move_is_audited_without_its_text(dpo, person):
    request = register(dpo, person, note="Kopie van het hele dossier")
    services.subject_request_extend(acting_user=dpo, request=request, reason="Veel gegevens")
    services.subject_request_move(acting_user=dpo, request=request, to_status="in_progress")
    services.subject_request_move(
        acting_user=dpo, request=request, to_status="done", reason="Per post verstuurd"
    )
    events = list(
        AuditEvent.objects.filter(person=person, event_type__startswith="privacy_request.")
        .order_by("pk")
        .values_list("event_type", "data")
    )
    assert [e for e, _ in events] == [
        "privacy_request.received",
        "privacy_request.extended",
        "privacy_request.status_changed",
        "privacy_request.status_changed",
    ]
    assert events[0][1]["note_given"] is True and events[0][1]["kind"] == "access"
    assert [(d["from"], d["to"]) for _, d in events[2:]] == [
        ("received", "in_progress"),
        ("in_progress", "done"),
    ]
    text = json.dumps([d for _, d in events])
    for words in ("Kopie", "Veel gegevens", "Per post"):
        assert words not in text


@pytest.mark.django_db
def test_only_the_dpo_of_the_organisation_acts(dpo, other_dpo, person, mediator):
    with pytest.raises(PermissionDenied):
        register(mediator, person)
    with pytest.raises(Http404):
        register(other_dpo, person)
    request = register(dpo, person)
    with pytest.raises(Http404):
        services.subject_request_move(acting_user=other_dpo, request=request, to_status="done")
    with pytest.raises(Http404):
        services.subject_request_extend(acting_user=other_dpo, request=request, reason="x")


@pytest.mark.django_db
def test_a_request_cannot_be_received_in_the_future(dpo, person):
    with pytest.raises(ValidationError):
        register(dpo, person, received_on=TODAY + dt.timedelta(days=1))


# --- the register's order and filters --------------------------------------------------------


@pytest.fixture
def register_of_four(dpo, mediator):
    """Overdue, due soon, due later (extended), done."""
    # (names that a page's random CSP nonce or request id cannot contain by chance: the
    # first names "P0"–"P3" once failed the list test when "P3" stood in a nonce)
    p = [make_person(mediator, first_name=f"Verzoeker{i}") for i in range(4)]
    overdue = register(dpo, p[0], received_on=TODAY - dt.timedelta(days=40))
    soon = register(dpo, p[1], received_on=TODAY - dt.timedelta(days=20), kind="erasure")
    later = register(dpo, p[2], received_on=TODAY - dt.timedelta(days=25))
    services.subject_request_extend(acting_user=dpo, request=later, reason="Complex")
    done = register(dpo, p[3], received_on=TODAY - dt.timedelta(days=3))
    services.subject_request_move(acting_user=dpo, request=done, to_status="done")
    return overdue, soon, later, done


@pytest.mark.django_db
def test_open_requests_come_overdue_first_then_by_due_date(dpo, register_of_four):
    overdue, soon, later, done = register_of_four
    assert requests_waiting(dpo, TODAY) == [overdue, soon, later]
    assert list(register_list(dpo, show=Show.OVERDUE, kind="", today=TODAY)) == [overdue]
    assert list(register_list(dpo, show=Show.CLOSED, kind="", today=TODAY)) == [done]
    assert list(register_list(dpo, show=Show.OPEN, kind="erasure", today=TODAY)) == [soon]
    assert len(register_list(dpo, show=Show.ALL, kind="", today=TODAY)) == 4


# --- the pages -------------------------------------------------------------------------------

URLS = ("privacy:request_list", "privacy:request_create")


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.DATA_PROTECTION_OFFICER}))
def test_other_roles_get_403(client, organisation, dpo, person, role):
    request = register(dpo, person)
    client.force_login(make_user(role, organisation=organisation))
    for name in URLS:
        assert client.get(reverse(name)).status_code == 403, name
    url = reverse("privacy:request_detail", kwargs={"public_id": request.public_id})
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "done"}).status_code == 403


@pytest.mark.django_db
def test_another_organisations_dpo_neither_sees_nor_guesses(client, dpo, other_dpo, person):
    request = register(dpo, person)
    client.force_login(other_dpo)
    url = reverse("privacy:request_detail", kwargs={"public_id": request.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "done"}).status_code == 404
    assert client.get("/audit/requests/not-a-uuid/").status_code == 404
    listed = client.get(reverse("privacy:request_list") + "?show=all").content.decode()
    assert "Verzoekster" not in listed
    # Nor can they record a request for the person.
    response = client.post(
        reverse("privacy:request_create"),
        {"person": person.insz, "kind": "access", "channel": "email", "received_on": TODAY},
    )
    assert (
        response.status_code == 400
        and not SubjectRequest.objects.filter(organisation=other_dpo.organisation).exists()
    )
    assert request.status == RequestStatus.RECEIVED


@pytest.mark.django_db
def test_the_dpo_records_an_access_request_by_national_number_in_the_body(client, dpo, person):
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:request_create"),
        {
            "person": person.insz,
            "kind": "access",
            "channel": "email",
            "received_on": (TODAY - dt.timedelta(days=2)).isoformat(),
            "note": "Vraagt een kopie",
        },
    )
    request = SubjectRequest.objects.get()
    url = reverse("privacy:request_detail", kwargs={"public_id": request.public_id})
    assert response.status_code == 302 and response["Location"] == url
    assert person.insz not in url
    assert (request.organisation, request.handler, request.kind) == (
        dpo.organisation,
        dpo,
        "access",
    )
    page = client.get(url).content.decode()
    export = reverse("privacy:person_export_pdf", kwargs={"public_id": person.public_id})
    assert export in page and "Verzoekster" in page
    assert AccessLog.objects.filter(
        user=dpo, person=person, what="data-subject request", purpose=Purpose.DATA_PROTECTION
    ).exists()
    client.post(url, {"action": "done", "text": "Per e-mail bezorgd"})
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.outcome == "Per e-mail bezorgd"


@pytest.mark.django_db
def test_the_form_refuses_what_is_missing_and_writes_nothing(client, dpo, person):
    client.force_login(dpo)
    response = client.post(reverse("privacy:request_create"), {"person": "12345678901"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="kind"' in body and "checked" not in body
    assert not SubjectRequest.objects.exists()


@pytest.mark.django_db
def test_a_refusal_without_reason_is_shown_on_the_page(client, dpo, person):
    request = register(dpo, person)
    client.force_login(dpo)
    url = reverse("privacy:request_detail", kwargs={"public_id": request.public_id})
    assert client.post(url, {"action": "refuse", "text": ""}).status_code == 400
    assert SubjectRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED


@pytest.mark.django_db
def test_the_list_filters_and_pages(client, dpo, register_of_four, settings):
    settings.TANDEM_PAGE_SIZE = 2
    client.force_login(dpo)
    url = reverse("privacy:request_list")
    first = client.get(url).content.decode()
    assert first.count('data-label="Persoon"') + first.count('data-label="Person"') == 2
    assert "Verzoeker0" in first and "Verzoeker3" not in first
    overdue = client.get(url + "?show=overdue").content.decode()
    assert "Verzoeker0" in overdue and "Verzoeker1" not in overdue
    assert client.get(url + "?page=abc&show=bogus").status_code == 200
    second = client.get(url + "?page=2").content.decode()
    assert "Verzoeker2" in second


@pytest.mark.django_db
def test_the_list_page_costs_a_constant_number_of_queries(client, dpo, mediator):
    client.force_login(dpo)
    url = reverse("privacy:request_list")
    register(dpo, make_person(mediator))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        register(dpo, make_person(mediator))
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


# --- the export and erasure ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_holds_the_persons_requests(dpo, person):
    register(dpo, person, note="Kopie van alles")
    (row,) = person_export(person)["subject_requests"]
    assert row["kind"] == "access" and row["note"] == "Kopie van alles"
    assert row["due_on"] == rules.due_date(TODAY)


# --- the home page ---------------------------------------------------------------------------


def _home_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


@pytest.mark.django_db
def test_the_dpo_home_shows_waiting_requests_most_urgent_first_in_one_query(dpo, register_of_four):
    overdue, soon, later, _done = register_of_four
    assert dpo.role_codes is not None
    with CaptureQueriesContext(connection) as queries:
        context = work_dpo.subject_requests(_home_request(dpo))
    reads = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(reads) == 1
    panel = context["dpo_requests"]
    assert panel["rows"] == [overdue, soon, later]
    assert panel["overdue"] == 1 and panel["more"] == 0
    assert set(
        AccessLog.objects.filter(user=dpo, what="home: data-subject requests").values_list(
            "person", flat=True
        )
    ) == {overdue.person_id, soon.person_id, later.person_id}


@pytest.mark.django_db
def test_the_dpo_home_links_each_request(client, dpo, register_of_four):
    client.force_login(dpo)
    body = client.get("/").content.decode()
    assert 'id="dpo-requests"' in body
    for request in register_of_four[:3]:
        assert reverse("privacy:request_detail", kwargs={"public_id": request.public_id}) in body
    other = make_user(
        Role.DATA_PROTECTION_OFFICER, organisation=OrganisationFactory(code="elders-dpo")
    )
    client.force_login(other)
    assert 'id="dpo-requests"' not in client.get("/").content.decode()


# --- the demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_dpo_has_a_realistic_register(client):
    from django.core.management import call_command

    from tandem.accounts.models import User

    call_command("seed_demo", "--seed", "3", "--persons", "120")
    dpo = User.objects.get(username="demo_data_protection_officer")
    requests = list(SubjectRequest.objects.filter(organisation=dpo.organisation))
    statuses = sorted(r.status for r in requests)
    assert statuses.count("done") == 2 and statuses.count("refused") == 1
    waiting = requests_waiting(dpo, TODAY)
    assert len(waiting) == 4 and waiting[0].overdue_on(TODAY)
    assert sum(r.overdue_on(TODAY) for r in waiting) == 1
    erased = next(r for r in requests if r.kind == "erasure" and r.status == "done")
    assert erased.person.first_name == "" and erased.note == ERASED
    client.force_login(dpo)
    body = client.get("/").content.decode()
    assert 'id="dpo-requests"' in body
    for request in waiting:
        assert reverse("privacy:request_detail", kwargs={"public_id": request.public_id}) in body


@pytest.mark.django_db
def test_the_erasure_from_a_request_returns_to_it_to_close_it(client, dpo, other_dpo, person):
    request = register(dpo, person, kind=RequestKind.ERASURE, note="Brief van Yasmina")
    client.force_login(dpo)
    detail = reverse("privacy:request_detail", kwargs={"public_id": request.public_id})
    erase = reverse("privacy:person_erase", kwargs={"public_id": person.public_id})
    assert f"{erase}?request={request.public_id}" in client.get(detail).content.decode()
    form = client.get(f"{erase}?request={request.public_id}").content.decode()
    assert f'name="request" value="{request.public_id}"' in form
    response = client.post(
        erase, {"reason": "Verzoek", "confirm": "on", "request": str(request.public_id)}
    )
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Verzoekster" not in page and "Yasmina" not in page
    client.post(detail, {"action": "done", "text": "Bevestiging per brief"})
    assert SubjectRequest.objects.get(pk=request.pk).status == RequestStatus.DONE


@pytest.mark.django_db
def test_the_erasure_page_ignores_a_request_of_another_person(client, dpo, person, mediator):
    other = register(dpo, make_person(mediator), kind=RequestKind.ERASURE)
    client.force_login(dpo)
    erase = reverse("privacy:person_erase", kwargs={"public_id": person.public_id})
    response = client.post(
        erase, {"reason": "Verzoek", "confirm": "on", "request": str(other.public_id)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("privacy:access_search")


@pytest.mark.django_db
def test_the_register_pages_cost_few_queries(
    client, dpo, register_of_four, django_assert_max_num_queries
):
    """Session, user, roles; the page's own read(s); the access-log insert."""
    client.force_login(dpo)
    detail = reverse("privacy:request_detail", kwargs={"public_id": register_of_four[2].public_id})
    client.get(detail)
    with django_assert_max_num_queries(6):  # + the request, its history
        assert client.get(detail).status_code == 200
    with django_assert_max_num_queries(5):  # + the open requests
        assert client.get(reverse("privacy:request_list")).status_code == 200
    with django_assert_max_num_queries(6):  # + the count and the page
        assert client.get(reverse("privacy:request_list") + "?show=all").status_code == 200
    with django_assert_max_num_queries(5):  # + the DPO's panel: the open requests
        assert client.get("/").status_code == 200
