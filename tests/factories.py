"""Factories for the test suite. Persons and users are made through the services where the
service carries rules (household creation, roles), so tests see what the application makes."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.accounts.services import user_create
from tandem.common.models import Province
from tandem.registry import insz as insz_rules
from tandem.registry.models import Person
from tandem.registry.services import person_create

_sequence = itertools.count(1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE
    province = Province.OOST_VLAANDEREN
    municipality = "Gent"


def make_user(
    *roles: str,
    organisation: Organisation | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    n = next(_sequence)
    return user_create(
        acting_user=None,
        username=username or f"user{n}",
        organisation=organisation or OrganisationFactory(),
        roles=roles,
        first_name=f"Voornaam{n}",
        last_name="Test",
        password=password,
    )


def make_person(
    user: User,
    *,
    first_name: str = "Sara",
    last_name: str | None = None,
    birth_date: dt.date = dt.date(1985, 7, 30),
    insz: str | None = None,
    with_insz: bool = True,
    municipality: str = "Gent",
    confirmed_distinct: bool = True,
    **extra: object,
) -> Person:
    n = next(_sequence)
    if insz is None and with_insz:
        insz = insz_rules.make(birth_date, (n % 997) + 1)
    data = {
        "first_name": first_name,
        "last_name": last_name or f"Peeters{n}",
        "insz": insz,
        "birth_date": birth_date,
        "gender": "F",
        "languages": ["nl"],
        "street": "Kortrijksesteenweg",
        "house_number": "12",
        "postal_code": "9000",
        "municipality": municipality,
        "province": Province.OOST_VLAANDEREN,
        "phone": "",
        "email": "",
        "education": "isced_0_2",
        "registration": "registered",
        "benefit": "unemployment",
        "nationality_group": "belgian",
        **extra,
    }
    return person_create(acting_user=user, data=data, confirmed_distinct=confirmed_distinct)


def backdate_audit_rows(model: type, pks: list[int], by: dt.timedelta) -> None:
    """Move audit rows (``AccessLog``, ``AuditEvent``) ``by`` into the past, for tests of
    periods and date filters. On PostgreSQL the audit trail takes the database's clock and is
    append-only (migrations audit 0003, 0004): the test suite's superuser lifts the triggers
    for this one statement (``session_replication_role``), which the application role may not."""
    from django.db import connection, transaction
    from django.db.models import F

    if connection.vendor != "postgresql":
        model._default_manager.filter(pk__in=pks).update(at=F("at") - by)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(
            f"UPDATE {table} SET at = at - %s WHERE id = ANY(%s)",  # noqa: S608 - a model's table
            [by, list(pks)],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
