"""Keyed pseudonyms for persons and users, and the one path that may change access-log rows.

Retention (``tandem.privacy``) replaces an erased person's name, and an old access-log row's
person and user references, by these pseudonyms. The access log is append-only; on
PostgreSQL only ``accesslog_pseudonymise()`` changes it, through the database function of
migration 0004, and only for rows past the retention period by the database's own clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AccessLog


def _pseudonym_secret() -> str:
    # A key of its own (kept apart from the database) makes pseudonyms linkable only for whoever
    # holds it; without one the SECRET_KEY is used. Changing the key changes later pseudonyms.
    return str(getattr(settings, "TANDEM_PSEUDONYM_KEY", "") or settings.SECRET_KEY)


def person_pseudonym(person_id: int) -> str:
    digest = salted_hmac("tandem.audit.person", str(person_id), secret=_pseudonym_secret())
    return "p-" + digest.hexdigest()[:20]


def user_pseudonym(user_id: int) -> str:
    digest = salted_hmac("tandem.audit.user", str(user_id), secret=_pseudonym_secret())
    return "u-" + digest.hexdigest()[:20]


def accesslog_cutoff(*, years: int) -> dt.datetime:
    """Access-log rows older than this are past their retention period.

    ``years`` is the period the settings give. On PostgreSQL the database computes its own
    cut-off (``tandem_accesslog_cutoff()``: its clock minus the period the owner stored in
    ``tandem_audit_policy``, migration 0004) and the earlier of the two counts: the
    application can never pseudonymise a row the database still holds to be recent.
    """
    now = timezone.now()
    try:
        cutoff = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - years, day=28)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tandem_accesslog_cutoff()")
            cutoff = min(cutoff, cursor.fetchone()[0])
    return cutoff


def accesslog_pseudonymise(
    person_ids: Sequence[int], *, years: int, write: bool
) -> tuple[int, set[int]]:
    """Replace person, user and IP address of these persons' access-log rows older than the
    cut-off (``accesslog_cutoff``) by keyed pseudonyms; return the rows (counted, and changed
    when ``write``) and the persons they were about.

    On PostgreSQL the change goes through ``tandem_accesslog_pseudonymise()`` (migration
    0004), which runs with the rights of the tables' owner: the application role has no
    ``UPDATE`` on the access log, and the function changes only rows past the database's own
    cut-off, only in this way (the trigger checks it once more).
    """
    with transaction.atomic():
        rows = AccessLog.objects.filter(
            person_id__in=list(person_ids), at__lt=accesslog_cutoff(years=years)
        ).order_by()
        n = rows.count()
        if not n:
            return 0, set()
        persons = set(rows.values_list("person_id", flat=True).distinct())
        if not write:
            return n, persons
        users = set(rows.values_list("user_id", flat=True).distinct())
        person_list, user_list = sorted(persons), sorted(users)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT tandem_accesslog_pseudonymise(%s, %s, %s, %s)",
                    [
                        person_list,
                        [person_pseudonym(pk) for pk in person_list],
                        user_list,
                        [user_pseudonym(pk) for pk in user_list],
                    ],
                )
                changed = cursor.fetchone()[0]
            if changed != n:  # a row appeared or vanished: refuse rather than report wrong
                raise DatabaseError(f"access log: {changed} rows pseudonymised, {n} counted")
            return n, persons
        # SQLite has no triggers: this code path is the guard.
        rows.update(
            person_pseudonym=Case(
                *[When(person_id=pk, then=Value(person_pseudonym(pk))) for pk in person_list],
                output_field=CharField(),
            ),
            user_pseudonym=Case(
                *[When(user_id=pk, then=Value(user_pseudonym(pk))) for pk in user_list],
                output_field=CharField(),
            ),
            person=None,
            user=None,
            ip_address=None,
        )
        return n, persons
