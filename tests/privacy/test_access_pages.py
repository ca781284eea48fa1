"""Who looked at this file (per person) and the DPO's access-log search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog, Purpose
from tandem.registry.selectors import person_queryset_for
from tandem.registry.services import person_assign
from tests.factories import OrganisationFactory, backdate_audit_rows, make_person, make_user

pytestmark = pytest.mark.django_db


def _access_url(person) -> str:
    return reverse("privacy:person_access", kwargs={"public_id": person.public_id})


SEARCH_URL = "/audit/access/"


def _reads(person, user, n: int, *, days_ago: int = 1) -> None:
    # Rows are written now (the database's clock on PostgreSQL), then moved into the past.
    rows = AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                roles="mediator",
                organisation=user.organisation,
                person=person,
                what="person file",
                purpose="case work",
                ip_address="10.0.0.7",
            )
            for _i in range(n)
        ]
    )
    for i, row in enumerate(rows):
        backdate_audit_rows(AccessLog, [row.pk], dt.timedelta(days=days_ago, minutes=i))


# --- the role -------------------------------------------------------------------------------


def test_the_dpo_role_sees_no_case_content(client, dpo, mediator):
    from django.utils import translation

    with translation.override("nl"):
        assert str(Role.DATA_PROTECTION_OFFICER.label) == "Functionaris voor gegevensbescherming"
    person = make_person(mediator, first_name="Mira", last_name="Janssens")
    assert not person_queryset_for(dpo).exists()
    assert not dpo.is_staff
    client.force_login(dpo)
    home = client.get(reverse("home:home")).content.decode()
    assert "Functionaris voor gegevensbescherming" in home
    assert SEARCH_URL in home
    assert reverse("registry:person_search") not in home
    detail = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    assert client.get(detail).status_code == 403


# --- who looked at this file ----------------------------------------------------------------


def test_the_mediator_sees_every_read_newest_first_and_the_read_is_logged(
    mediator_client, mediator, partner
):
    person = make_person(mediator, first_name="Mira", last_name="Janssens")
    _reads(person, partner, 2, days_ago=3)
    _reads(person, mediator, 1, days_ago=1)
    response = mediator_client.get(_access_url(person))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == 4
    assert rows[0].what == "access history" and rows[0].user == mediator
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    body = response.content.decode()
    assert "OCMW Gent" in body and "10.0.0.7" in body
    assert "Welzijnspartner" in body or "Werk-welzijnsbemiddelaar" in body
    logged = AccessLog.objects.get(what="access history")
    assert logged.purpose == Purpose.CASE_WORK and logged.person == person


def test_the_person_file_links_to_the_page(mediator_client, mediator):
    person = make_person(mediator)
    detail = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    assert _access_url(person) in mediator_client.get(detail).content.decode()


def test_pages_of_reads(mediator_client, mediator, settings):
    person = make_person(mediator)
    _reads(person, mediator, settings.TANDEM_PAGE_SIZE + 5)
    first = mediator_client.get(_access_url(person))
    page = first.context["page"]
    assert len(page.object_list) == settings.TANDEM_PAGE_SIZE
    assert page.has_next and not page.has_previous
    # Older and newer, no page numbers and no total (no count over the access log).
    body = first.content.decode()
    assert "Ouder" in body or "Older" in body
    assert "?page=" not in body and "?cursor=" in body
    second = mediator_client.get(_access_url(person), {"cursor": page.next_cursor})
    assert len(second.context["page"].object_list) == 6  # 5 + the first read
    assert not second.context["page"].has_next and second.context["page"].has_previous
    # A cursor that is not Tandem's opens the newest page, never an error.
    for garbage in ["abc", "1:2:3", "x" * 5000, page.next_cursor[:-2] + "zz"]:
        response = mediator_client.get(_access_url(person), {"cursor": garbage})
        assert response.status_code == 200 and not response.context["page"].has_previous


@pytest.mark.parametrize("n", [5, 60])
def test_the_page_costs_a_constant_number_of_queries(
    mediator_client, mediator, partner, n, django_assert_max_num_queries
):
    person = make_person(mediator)
    _reads(person, mediator, n // 2)
    _reads(person, partner, n - n // 2)
    mediator_client.get(_access_url(person))  # warm the session
    # 14 with page numbers; the keyset page counts nothing.
    with django_assert_max_num_queries(13):
        assert mediator_client.get(_access_url(person)).status_code == 200


def test_another_organisations_mediator_gets_404_and_no_row(client, other_mediator, mediator):
    person = make_person(mediator, first_name="Verborgen", last_name="Persoon")
    client.force_login(other_mediator)
    response = client.get(_access_url(person))
    assert response.status_code == 404
    assert b"Verborgen" not in response.content
    assert not AccessLog.objects.filter(user=other_mediator).exists()


def test_an_assigned_organisations_mediator_may_look(client, mediator, other_mediator):
    person = make_person(mediator)
    person_assign(
        acting_user=mediator, person=person, organisation=other_mediator.organisation, reason="x"
    )
    client.force_login(other_mediator)
    assert client.get(_access_url(person)).status_code == 200


def test_the_dpo_may_look_and_is_logged_for_data_protection(dpo_client, dpo, mediator):
    person = make_person(mediator, first_name="Mira", last_name="Janssens")
    response = dpo_client.get(_access_url(person))
    assert response.status_code == 200
    assert "Janssens" in response.content.decode()
    row = AccessLog.objects.get(user=dpo)
    assert (row.person, row.purpose, row.what) == (person, "data protection", "access history")


def test_the_dpo_of_a_parent_organisation_reaches_its_offices(client, mediator, organisation):
    vdab = OrganisationFactory(name="VDAB", code="vdab-parent-audit")
    organisation.parent = vdab
    organisation.save()
    central = make_user(Role.DATA_PROTECTION_OFFICER, organisation=vdab)
    client.force_login(central)
    assert client.get(_access_url(make_person(mediator))).status_code == 200


def test_another_organisations_dpo_gets_404(client, other_dpo, mediator):
    person = make_person(mediator, first_name="Verborgen", last_name="Persoon")
    client.force_login(other_dpo)
    response = client.get(_access_url(person))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(user=other_dpo).exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.WELFARE_PARTNER,
        Role.PROGRAMME_MANAGER,
        Role.ADMIN,
        Role.SERVICE_LINE,
        Role.GROUP_COACH,
        Role.OUTREACH_WORKER,
        Role.EXPERIENCE_EXPERT,
        Role.JOB_COACH,
    ],
)
def test_other_roles_are_refused(client, organisation, mediator, role):
    person = make_person(mediator, first_name="Verborgen", last_name="Persoon")
    client.force_login(make_user(role, organisation=organisation))
    for url in (
        _access_url(person),
        reverse("privacy:person_export_json", kwargs={"public_id": person.public_id}),
        reverse("privacy:person_export_pdf", kwargs={"public_id": person.public_id}),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Verborgen" not in response.content
    assert client.post(SEARCH_URL, {"person": person.insz}).status_code == 403
    assert not AccessLog.objects.filter(what__in=["access history", "access log search"]).exists()


def test_anonymous_users_are_sent_to_login(client, mediator):
    person = make_person(mediator)
    for url in (_access_url(person), SEARCH_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# --- the DPO's search ------------------------------------------------------------------------


def test_search_by_national_number_is_posted_and_logged(dpo_client, dpo, mediator, partner):
    person = make_person(mediator, first_name="Mira", last_name="Janssens")
    other = make_person(mediator, first_name="Bram", last_name="Claes")
    _reads(person, partner, 3)
    _reads(other, mediator, 2)
    assert dpo_client.get(SEARCH_URL).status_code == 200
    # A query string is not a search: the national number must never be in a URL.
    assert dpo_client.get(f"{SEARCH_URL}?person={person.insz}").context["page"] is None

    response = dpo_client.post(SEARCH_URL, {"person": person.insz_formatted})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == 3 and {r.person for r in rows} == {person}
    assert response.context["person"] == person
    body = response.content.decode()
    assert "Janssens" in body and "Claes" not in body
    assert reverse("privacy:person_erase", kwargs={"public_id": person.public_id}) in body
    logged = AccessLog.objects.filter(user=dpo, what="access log search")
    assert [(r.person, r.purpose) for r in logged] == [(person, "data protection")]

    by_reference = dpo_client.post(SEARCH_URL, {"person": str(person.public_id)})
    assert by_reference.context["person"] == person


def test_search_by_user_and_period(dpo_client, dpo, mediator, partner):
    person = make_person(mediator)
    _reads(person, partner, 2, days_ago=40)
    _reads(person, partner, 3, days_ago=10)
    _reads(person, mediator, 4, days_ago=10)
    today = timezone.localdate()
    response = dpo_client.post(
        SEARCH_URL,
        {
            "username": partner.username.upper(),
            "date_from": (today - dt.timedelta(days=20)).isoformat(),
            "date_to": (today - dt.timedelta(days=5)).isoformat(),
        },
    )
    rows = list(response.context["page"].object_list)
    assert len(rows) == 3 and {r.user for r in rows} == {partner}
    # One access-log row per person shown, however many reads of them are listed.
    assert AccessLog.objects.filter(user=dpo, what="access log search").count() == 1
    to_the_day = dpo_client.post(
        SEARCH_URL, {"date_to": (today - dt.timedelta(days=40)).isoformat()}
    )
    assert len(to_the_day.context["page"].object_list) == 2


def test_search_errors_name_the_field(dpo_client, mediator):
    make_person(mediator)
    response = dpo_client.post(
        SEARCH_URL,
        {
            "person": "85.07.30-999.99",
            "username": "nobody",
            "date_from": "2026-01-02",
            "date_to": "2026-01-01",
        },
    )
    form = response.context["form"]
    assert set(form.errors) == {"person", "username", "date_to"}
    assert response.context["page"] is None


def test_search_never_shows_another_organisations_persons(
    dpo_client, dpo, other_mediator, mediator
):
    hidden = make_person(other_mediator, first_name="Verborgen", last_name="Persoon")
    _reads(hidden, other_mediator, 3)
    _reads(make_person(mediator), mediator, 1)
    by_number = dpo_client.post(SEARCH_URL, {"person": hidden.insz})
    assert "person" in by_number.context["form"].errors
    everything = dpo_client.post(SEARCH_URL, {"username": other_mediator.username})
    assert list(everything.context["page"].object_list) == []
    all_rows = dpo_client.post(SEARCH_URL, {})
    assert len(all_rows.context["page"].object_list) == 1
    assert b"Verborgen" not in by_number.content + everything.content + all_rows.content
    assert not AccessLog.objects.filter(user=dpo, person=hidden).exists()


def test_pseudonymised_rows_no_longer_point_at_the_person(dpo_client, mediator):
    from tandem.privacy.sections import access_log_pseudonymise

    person = make_person(mediator)
    _reads(person, mediator, 2, days_ago=11 * 366)  # past the access log's 10 years
    access_log_pseudonymise([person.pk], True)
    # Rows no longer point at the person: the DPO's search by person no longer finds them.
    response = dpo_client.post(SEARCH_URL, {"person": person.insz})
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("n", [3, 40])
def test_search_costs_a_constant_number_of_queries(
    dpo_client, mediator, partner, n, django_assert_max_num_queries
):
    for i in range(n):
        _reads(make_person(mediator, first_name=f"P{i}"), partner if i % 2 else mediator, 1)
    dpo_client.get(SEARCH_URL)
    # 8 with page numbers (an exact count over the access log); the keyset page counts nothing.
    with django_assert_max_num_queries(7):
        response = dpo_client.post(SEARCH_URL, {"username": partner.username})
    assert response.status_code == 200


def test_search_pages_are_posted_older_and_newer_with_the_filters(
    dpo_client, mediator, partner, settings
):
    person = make_person(mediator)
    _reads(person, partner, settings.TANDEM_PAGE_SIZE + 3)
    _reads(person, mediator, 2)
    search = {"person": person.insz, "username": partner.username}
    first = dpo_client.post(SEARCH_URL, search)
    page = first.context["page"]
    assert len(page.object_list) == settings.TANDEM_PAGE_SIZE and page.has_next
    body = first.content.decode()
    # The pager posts the filters again with the cursor: no national number in a URL.
    assert f'value="{page.next_cursor}"' in body and 'name="cursor"' in body
    assert f'name="person" value="{person.insz}"' in body and "page=" not in body
    older = dpo_client.post(SEARCH_URL, {**search, "cursor": page.next_cursor})
    rows = list(older.context["page"].object_list)
    assert len(rows) == 3 and {r.user for r in rows} == {partner}
    assert older.context["page"].has_previous and not older.context["page"].has_next
    newer = dpo_client.post(SEARCH_URL, {**search, "cursor": older.context["page"].previous_cursor})
    assert list(newer.context["page"].object_list) == list(page.object_list)
    garbage = dpo_client.post(SEARCH_URL, {**search, "cursor": "garbage\x00" * 40})
    assert garbage.status_code == 200
    assert list(garbage.context["page"].object_list) == list(page.object_list)


def test_no_page_counts_the_access_log(dpo_client, mediator, partner):
    """Issue 20: the access log grows by millions of rows a year; its pages read one page by
    its keys and never count it (no page numbers, no total)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    person = make_person(mediator)
    _reads(person, partner, 3)
    as_mediator = Client()
    as_mediator.force_login(mediator)
    with CaptureQueriesContext(connection) as ctx:
        pages = [
            dpo_client.post(SEARCH_URL, {}),
            dpo_client.post(SEARCH_URL, {"person": person.insz}),
            as_mediator.get(_access_url(person)),
        ]
    assert all(len(page.context["page"].object_list) >= 3 for page in pages)
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "audit_accesslog" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert counts == []
