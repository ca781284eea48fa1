"""The visibility scope's query shape (issue 20): ``person_queryset_for`` is a union of indexed
branches (the organisation's own persons ``OR`` the ids of the other ways of seeing a person,
on PostgreSQL as ``id = ANY(ARRAY(… UNION ALL …))``) instead of an ``OR`` of ``EXISTS`` over
every person of the region. It must decide exactly what the old expression decided: the old
expression is kept here as the oracle and both are compared for users of every role, and a user
holding every role, over two worlds with every branch (tests/authz_world.py), in each state
that switches a branch on or off (an assignment, a consent to the organisation's kind, a
withdrawn consent, a closed referral, an answered expert request, an erased person).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.access.scope import (
    active_consents_for,
    person_queryset_for,
    trajectory_queryset_for,
)
from tandem.accounts.models import OrganisationKind, Role, User
from tandem.network.models import OPEN_REFERRAL_STATUSES, Consent, Referral
from tandem.registry.models import Person, PersonAssignment
from tandem.registry.selectors import person_counts_for
from tandem.trajectories.models import ExpertSupportRequest, JobCoaching, Trajectory
from tests.authz_world import TODAY, World, build_world
from tests.factories import OrganisationFactory, make_person, make_user


def old_person_queryset_for(user: User) -> QuerySet[Person]:
    """The scope as it was before issue 20 (commit 26eaf23), word for word: the oracle."""
    if not user.is_authenticated or user.organisation_id is None:
        return Person.objects.none()
    codes = user.role_codes
    org_id = user.organisation_id
    allowed = Q(pk__in=[])
    if codes & {Role.MEDIATOR, Role.SERVICE_LINE}:
        assigned = PersonAssignment.objects.filter(person=OuterRef("pk"), organisation_id=org_id)
        allowed |= Q(organisation_id=org_id) | Q(Exists(assigned))
    if Role.WELFARE_PARTNER in codes:
        duo = Trajectory.objects.filter(person=OuterRef("pk"), welfare_partner=user)
        referred = Referral.objects.filter(
            person=OuterRef("pk"),
            receiving_organisation_id=org_id,
            status__in=OPEN_REFERRAL_STATUSES,
        )
        consented = active_consents_for(user.organisation).filter(  # type: ignore[arg-type]
            person=OuterRef("pk")
        )
        allowed |= Q(organisation_id=org_id) | (
            (Q(Exists(duo)) | Q(Exists(referred))) & Q(Exists(consented))
        )
    if Role.OUTREACH_WORKER in codes:
        allowed |= Q(created_by=user)
    if Role.EXPERIENCE_EXPERT in codes:
        asked = ExpertSupportRequest.objects.filter(trajectory__person=OuterRef("pk")).filter(
            Q(expert=user) | Q(status="requested", trajectory__organisation_id=org_id)
        )
        allowed |= Q(Exists(asked))
    if Role.JOB_COACH in codes:
        coached = JobCoaching.objects.filter(
            job_start__trajectory__person=OuterRef("pk"), coach=user
        )
        allowed |= Q(Exists(coached))
    return Person.objects.filter(allowed).exclude(first_name="")


def _ids(qs: QuerySet) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def scene(db):
    """Two worlds, a user of every role in each, and a user holding every role at once (of the
    first world's OCMW) who is also the duo partner, expert and job coach of the second world
    and registered a person there."""
    a, b = build_world("brugge", "Scopeoracle"), build_world("kortrijk", "Scopeanders")
    ocmw_a = a.users["partner"].organisation
    everything = make_user(
        Role.MEDIATOR,
        Role.SERVICE_LINE,
        Role.WELFARE_PARTNER,
        Role.OUTREACH_WORKER,
        Role.EXPERIENCE_EXPERT,
        Role.JOB_COACH,
        organisation=ocmw_a,
        username="scope_every_role",
    )
    Trajectory.objects.filter(pk=b.trajectory.pk).update(welfare_partner=everything)
    ExpertSupportRequest.objects.filter(pk=b.objects["expert_request"].pk).update(expert=everything)
    JobCoaching.objects.filter(pk=b.objects["coaching"].pk).update(coach=everything)
    Person.objects.filter(pk=b.objects["outreach_person"].pk).update(created_by=everything)
    service_line = make_user(Role.SERVICE_LINE, organisation=b.organisation)
    programme_manager = make_user(Role.PROGRAMME_MANAGER, organisation=a.organisation)
    bystander = make_person(a.users["lead"], first_name="Omstaander")
    users = [
        *a.users.values(),
        *b.users.values(),
        everything,
        service_line,
        programme_manager,
    ]
    return {"a": a, "b": b, "users": users, "bystander": bystander, "everything": everything}


def _assert_same_scope(users: list[User], state: str) -> None:
    for user in users:
        user = User.objects.get(pk=user.pk)  # fresh role cache
        old = _ids(old_person_queryset_for(user))
        new = _ids(person_queryset_for(user))
        assert new == old, f"{state}: {user.username} sees {sorted(new)}, the oracle {sorted(old)}"
        old_trajectories = _ids(Trajectory.objects.filter(person__in=old_person_queryset_for(user)))
        assert _ids(trajectory_queryset_for(user)) == old_trajectories, (state, user.username)
        counts = person_counts_for(user, TODAY)
        month_start = dt.datetime.combine(
            TODAY.replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        oracle = old_person_queryset_for(user)
        assert counts == {
            "persons": len(old),
            "new_this_month": oracle.filter(created_at__gte=month_start).count(),
            "non_active": oracle.filter(registration="non_active").count(),
        }, (state, user.username)


def test_the_union_sees_exactly_what_the_or_exists_expression_saw(scene):
    a: World = scene["a"]
    b: World = scene["b"]
    users = scene["users"]
    # Every branch is on for someone: each of the first world's users sees a person, and so
    # does the user of every role (the second world's duo partner, expert and job coach).
    for user in [*a.users.values(), scene["everything"]]:
        if user.role_codes - {Role.GROUP_COACH, Role.DATA_PROTECTION_OFFICER}:
            assert _ids(person_queryset_for(user)), user.username
    _assert_same_scope(users, "built")

    # An office is assigned a person of the other world.
    PersonAssignment.objects.create(person=a.person, organisation=b.organisation, reason="Verhuis")
    _assert_same_scope(users, "assigned")

    # The consent names the OCMWs by kind instead of the one OCMW.
    Consent.objects.filter(pk=a.objects["consent"].pk).update(
        recipient_organisation=None, recipient_kind=OrganisationKind.OCMW
    )
    _assert_same_scope(users, "consent to a kind")

    # Closed referral, withdrawn consent: the partner's two ways to the person end.
    Referral.objects.filter(pk=b.objects["referral"].pk).update(status="completed")
    _assert_same_scope(users, "referral closed")
    Consent.objects.filter(pk=b.objects["consent"].pk).update(withdrawn_on=TODAY)
    _assert_same_scope(users, "consent withdrawn")

    # An open expert request of the office (anyone of the office may accept it), then none.
    ExpertSupportRequest.objects.filter(pk=a.objects["expert_request"].pk).update(
        status="requested", expert=None
    )
    _assert_same_scope(users, "expert request open")
    ExpertSupportRequest.objects.all().update(status="declined")
    _assert_same_scope(users, "expert requests answered")

    # An erased person keeps only statistics: in no one's scope.
    Person.objects.filter(pk=scene["bystander"].pk).update(first_name="")
    Person.objects.filter(pk=b.person.pk).update(first_name="")
    _assert_same_scope(users, "erased")


def test_who_sees_no_one_gets_an_empty_scope_without_a_query(db, django_assert_num_queries):
    other = OrganisationFactory()
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=other)
    coach = make_user(Role.GROUP_COACH, organisation=other)
    for user in (manager, coach):
        user.role_codes  # noqa: B018 (loads the roles)
        with django_assert_num_queries(0):
            assert list(person_queryset_for(user)) == []
    assert list(person_queryset_for(AnonymousUser())) == []  # type: ignore[arg-type]


def test_the_scope_is_one_condition_of_the_person_query(db):
    """The organisation's persons and the union of the other branches are one ``WHERE`` of one
    query on the person table, no ``EXISTS`` over it (PostgreSQL: ``= ANY(ARRAY(…))``)."""
    org = OrganisationFactory(kind=OrganisationKind.OCMW)
    user = make_user(Role.MEDIATOR, Role.WELFARE_PARTNER, Role.EXPERIENCE_EXPERT, organisation=org)
    sql = str(person_queryset_for(user).query).upper()
    assert "UNION ALL" in sql
    assert sql.count('FROM "REGISTRY_PERSON"') == 1
    # Only the consent check of the partner's branches is correlated, to their own rows.
    assert sql.count("EXISTS") == 2
