"""Notifications (issue 18): notify, the list page (scoped: a person is named only to a reader
who may see them), the header's unread count (no query of its own), marking as read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.audit.models import AccessLog
from tandem.notifications.kinds import KINDS, REFERRAL_ANSWERED
from tandem.notifications.models import Notification
from tandem.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notify,
)

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_notify_dedupes_skips_the_actor_and_the_inactive(mediator, other_mediator, partner):
    inactive = make_user(Role.MEDIATOR, organisation=mediator.organisation, username="gone")
    inactive.is_active = False
    inactive.save()
    n = notify(
        recipients=[mediator, mediator, other_mediator, partner, inactive, None],
        kind=REFERRAL_ANSWERED,
        url="/x/",
        actor=partner,
    )
    assert n == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "mediator",
        "other_mediator",
    }


def test_notify_refuses_an_unknown_kind(mediator):
    with pytest.raises(ValueError):
        notify(recipients=[mediator], kind="no.such.kind", url="/x/")


def test_every_kind_text_is_translated():
    from django.utils import translation

    for kind in KINDS.values():
        with translation.override("en"):
            english = str(kind.label)
        with translation.override("nl"):
            dutch = str(kind.label)
        assert dutch and dutch != english, kind.key


def test_list_names_the_person_only_to_a_reader_who_may_see_them(
    client, mediator, other_mediator, person
):
    notify(recipients=[mediator, other_mediator], kind=REFERRAL_ANSWERED, url="/x/", person=person)
    client.force_login(mediator)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Amrani" in page
    assert AccessLog.objects.filter(user=mediator, person=person, what="notifications").count() == 1

    client.force_login(other_mediator)  # another office: does not see Yasmina Amrani
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Amrani" not in page and "Yasmina" not in page
    assert "een persoon die je (niet meer) mag zien" in page
    assert not AccessLog.objects.filter(user=other_mediator, person=person).exists()


def test_a_user_sees_only_their_own_notifications(client, mediator, other_mediator):
    notify(recipients=[other_mediator], kind=REFERRAL_ANSWERED, url="/x/")
    client.force_login(mediator)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "notification-list-empty" in page


def test_header_count_costs_no_query_of_its_own(client, mediator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mediator)
    url = reverse("network:directory_search")
    client.get(url)  # the first page saves the new session
    with CaptureQueriesContext(connection) as before:
        page = client.get(url).content.decode()
    assert "notification-count" not in page
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/")
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/y/")
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "2 ongelezen" in page
    assert len(after.captured_queries) == len(before.captured_queries)
    # the count comes with the user's own query, not in one of its own
    own = [q["sql"] for q in after.captured_queries if "notifications_notification" in q["sql"]]
    assert len(own) == 1 and 'FROM "accounts_user"' in own[0]


def test_no_count_on_anonymous_pages(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "notification-count" not in page
    assert "Meldingen" not in page


def test_mark_read_and_open(client, mediator, other_mediator):
    notify(recipients=[mediator, other_mediator], kind=REFERRAL_ANSWERED, url="/persons/")
    mine = Notification.objects.get(recipient=mediator)
    theirs = Notification.objects.get(recipient=other_mediator)
    client.force_login(mediator)
    # another user's notification: not found, unchanged
    response = client.post(reverse("notifications:read", args=[theirs.pk]), {"open": "1"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # one's own: read, and opened at its place
    response = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/persons/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # GET does not mark
    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405


def test_open_never_leaves_the_site(client, mediator):
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="https://evil.example/")
    n = Notification.objects.get()
    client.force_login(mediator)
    response = client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
    assert response.url == reverse("notifications:list")


def test_mark_all_read(client, mediator, other_mediator):
    notify(recipients=[mediator, other_mediator], kind=REFERRAL_ANSWERED, url="/a/")
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/b/")
    assert notification_mark_all_read(user=mediator) == 2
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert notification_mark_read(user=mediator, notification_id=-1) is None
    client.force_login(other_mediator)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_digest_preference_toggles(client, mediator):
    from tandem.notifications.models import NotificationPreference

    client.force_login(mediator)
    client.post(reverse("notifications:digest"), {"daily_digest": "on"})
    assert NotificationPreference.objects.get(user=mediator).daily_digest
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'name="daily_digest"' in page and "checked" in page
    client.post(reverse("notifications:digest"), {})
    assert not NotificationPreference.objects.get(user=mediator).daily_digest


def test_the_list_page_costs_a_constant_number_of_queries(client, mediator, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import make_person

    client.force_login(mediator)
    url = reverse("notifications:list")
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/", person=person)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(10):
        other = make_person(mediator, first_name=f"P{i}", last_name="Test")
        notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/", person=other)
    with CaptureQueriesContext(connection) as eleven:
        client.get(url)
    assert len(eleven.captured_queries) == len(one.captured_queries), [
        q["sql"] for q in eleven.captured_queries
    ]
    print(f"notifications page: {len(one.captured_queries)} queries")


def test_a_notification_is_dated_to_its_event(mediator):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/a/", at=today - dt.timedelta(3))
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/b/", at=today)
    past, now = Notification.objects.order_by("url")
    assert timezone.localdate(past.created_at) == today - dt.timedelta(3)
    assert timezone.localdate(now.created_at) == today


def test_the_demo_leaves_only_the_last_two_weeks_unread(mediator):
    import datetime as dt

    from django.utils import timezone

    from tandem.demo.notifications import settle_notifications

    today = timezone.localdate()
    for days in (30, 15, 13, 0):
        notify(
            recipients=[mediator],
            kind=REFERRAL_ANSWERED,
            url=f"/{days}/",
            at=today - dt.timedelta(days),
        )
    assert settle_notifications() == (2, 2)
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("url", flat=True)) == {
        "/13/",
        "/0/",
    }


def _shown_ids(body: str) -> list[str]:
    import re

    return re.findall(r'id="notification-(\d+)"', body)


def test_the_list_is_cut_into_pages_and_logs_only_the_persons_on_the_shown_page(
    client, mediator, person, settings
):
    """Issue 18: 30 notifications are two pages (TANDEM_PAGE_SIZE 25); the person named only
    on page 2 is logged as read when page 2 is shown, not when page 1 is."""
    settings.TANDEM_PAGE_SIZE = 25
    # The oldest notification names the person: it falls on page 2.
    notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/", person=person)
    for _ in range(29):
        notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/")
    client.force_login(mediator)
    url = reverse("notifications:list")
    first = client.get(url).content.decode()
    assert len(_shown_ids(first)) == 25
    assert "Amrani" not in first
    assert not AccessLog.objects.filter(user=mediator, person=person).exists()
    cursor = client.get(url).context["page"].next_cursor  # "older"
    second = client.get(url, {"cursor": cursor}).content.decode()
    assert len(_shown_ids(second)) == 5
    assert "Amrani" in second
    assert AccessLog.objects.filter(user=mediator, person=person, what="notifications").count() == 1
    # Each notification on exactly one page, newest first.
    newest_first = [
        str(pk)
        for pk in Notification.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    ]
    assert _shown_ids(first) + _shown_ids(second) == newest_first


@pytest.mark.parametrize(
    ("name", "raw"),
    [("page", r) for r in ["abc", "-1", "0", "", "3", "99999999999999", "1\x00", "٢"]]
    + [("cursor", r) for r in ["abc", "", "1:2:3", "9" * 5000, "1\x00", "٢"]],
)
def test_a_bad_page_number_or_cursor_never_errors(client, mediator, name, raw):
    for _ in range(30):
        notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url="/x/")
    client.force_login(mediator)
    response = client.get(reverse("notifications:list"), {name: raw})
    assert response.status_code == 200
    # The list pages by cursor (newer/older): a page number is ignored, a bad cursor is the
    # newest page.
    assert len(_shown_ids(response.content.decode())) == 25


def test_the_list_pages_older_and_newer_without_a_count(client, mediator, settings):
    client.force_login(mediator)
    for i in range(settings.TANDEM_PAGE_SIZE + 2):
        notify(recipients=[mediator], kind=REFERRAL_ANSWERED, url=f"/n/{i}/")
    url = reverse("notifications:list")
    first = client.get(url)
    page = first.context["page"]
    assert len(page.object_list) == settings.TANDEM_PAGE_SIZE and page.has_next
    assert "?cursor=" in first.content.decode() and "page=" not in first.content.decode()
    older = client.get(url, {"cursor": page.next_cursor}).context["page"]
    assert len(older.object_list) == 2 and older.has_previous and not older.has_next
    shown = {n.pk for n in page.object_list} | {n.pk for n in older.object_list}
    assert shown == set(
        Notification.objects.filter(recipient=mediator).values_list("pk", flat=True)
    )
    # A cursor that is not Tandem's: the newest page, never an error.
    garbage = client.get(url, {"cursor": "0" * 999})
    assert garbage.status_code == 200 and not garbage.context["page"].has_previous
