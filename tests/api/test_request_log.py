"""The API's request log is a log (issue 19): append-only in PostgreSQL itself (migration api
0002, like the access log: audit 0003/0004) and under retention — rows are never deleted; past
the access log's period (``TANDEM_RETENTION['access_log']``, 10 years by default) their IP
address, the one personal datum of a row, is cleared by the retention run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from tandem.accounts.models import Role
from tandem.api.models import ApiRequest
from tandem.api.services import api_request_record
from tandem.privacy.retention import retention_apply
from tests.factories import backdate_audit_rows

from .helpers import api_client_for

pytestmark = pytest.mark.django_db
ELEVEN_YEARS = dt.timedelta(days=11 * 366)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's"
)


def _row(client=None) -> ApiRequest:
    return api_request_record(
        client=client,
        token=None,
        method="GET",
        route="/api/v1/referrals/inbox/",
        status=200,
        request_id="r1",
        ip_address="10.1.2.3",
    )


def _old_row(client=None) -> ApiRequest:
    row = _row(client)
    backdate_audit_rows(ApiRequest, [row.pk], ELEVEN_YEARS)
    row.refresh_from_db()
    return row


def _refused(run) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        run()
    return str(info.value)


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_retention_clears_the_ip_address_of_old_rows_and_keeps_every_row(ocmw):
    client, _token = api_client_for(ocmw, role=Role.WELFARE_PARTNER)
    recent, old = _row(client), _old_row(client)
    dry = retention_apply(acting_user=None, dry_run=True)
    assert dry.counts["api_request_ip_addresses"] == 1
    assert ApiRequest.objects.get(pk=old.pk).ip_address == "10.1.2.3"
    report = retention_apply(acting_user=None)
    assert report.counts["api_request_ip_addresses"] == 1
    with translation.override("en"):
        assert ("api_request_ip_addresses", "API request log: IP addresses cleared", 1) in (
            report.lines()
        )
    done = ApiRequest.objects.get(pk=old.pk)
    assert done.ip_address is None
    assert (done.client, done.route, done.status, done.at) == (
        client,
        old.route,
        old.status,
        old.at,
    )
    assert ApiRequest.objects.get(pk=recent.pk).ip_address == "10.1.2.3"
    assert ApiRequest.objects.count() == 2
    # Once cleared, nothing is left to clear.
    assert retention_apply(acting_user=None).counts["api_request_ip_addresses"] == 0


@postgresql_only
def test_request_rows_cannot_be_updated_or_deleted():
    row = _row()
    rows = ApiRequest.objects.filter(pk=row.pk)
    assert "append-only" in _refused(lambda: rows.update(status=500))
    assert "append-only" in _refused(lambda: rows.delete())
    assert "append-only" in _refused(
        lambda: _raw("UPDATE api_apirequest SET ip_address = NULL WHERE id = %s", [row.pk])
    )
    assert "append-only" in _refused(
        lambda: _raw("DELETE FROM api_apirequest WHERE id = %s", [row.pk])
    )
    assert ApiRequest.objects.filter(pk=row.pk, status=200, ip_address="10.1.2.3").exists()


@postgresql_only
def test_the_retention_flag_may_only_clear_the_ip_address_of_an_old_row():
    recent, old = _row(), _old_row()

    def flagged(change) -> None:
        with transaction.atomic():
            _raw("SET LOCAL tandem.retention = 'on'", [])
            change()

    recent_rows = ApiRequest.objects.filter(pk=recent.pk)
    assert "within its retention period" in _refused(
        lambda: flagged(lambda: recent_rows.update(ip_address=None))
    )
    old_rows = ApiRequest.objects.filter(pk=old.pk)
    assert "may only clear" in _refused(lambda: flagged(lambda: old_rows.update(status=500)))
    assert "may only clear" in _refused(
        lambda: flagged(lambda: old_rows.update(ip_address=None, route="/forged/"))
    )
    assert "DELETE refused" in _refused(lambda: flagged(lambda: old_rows.delete()))
    flagged(lambda: old_rows.update(ip_address=None))
    assert ApiRequest.objects.get(pk=old.pk).ip_address is None


@postgresql_only
def test_a_request_row_takes_the_databases_clock():
    long_ago = timezone.now() - dt.timedelta(days=400)
    row = ApiRequest.objects.create(
        at=long_ago, method="GET", route="/api/v1/x/", status=200, ip_address="10.0.0.1"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        now = cursor.fetchone()[0]
    stored = ApiRequest.objects.get(pk=row.pk).at
    assert now - dt.timedelta(minutes=1) < stored <= now
