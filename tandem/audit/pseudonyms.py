"""Keyed pseudonyms for persons and users, and the one path that may change access-log rows.

Retention (``tandem.privacy``) replaces an erased person's name, and an old access-log row's
person and user references, by these pseudonyms. The access log is append-only; the
PostgreSQL trigger (migration 0003) lets exactly that change through inside
``accesslog_pseudonymisation()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils.crypto import salted_hmac


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


@contextmanager
def accesslog_pseudonymisation() -> Iterator[None]:
    """Open the one path the PostgreSQL trigger leaves for changing access-log rows.

    ``SET LOCAL`` lasts until the end of the transaction at most; it is switched off again as
    soon as the block ends, and a failure rolls the savepoint (and the setting) back.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL tandem.retention = 'on'")
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL tandem.retention = 'off'")
