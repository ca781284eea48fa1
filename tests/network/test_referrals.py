"""Closed-loop referrals: consent rules, the state machine (every transition allowed and
refused, by which side), what the receiver sees, overdue referrals, the plan action following
the outcome, figures, and the pages with their query counts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common.states import TransitionNotAllowed
from tandem.network.consent.services import consent_give, consent_withdraw
from tandem.network.models import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
)
from tandem.network.referrals import selectors as rsel
from tandem.network.referrals.rules import is_overdue
from tandem.network.referrals.services import (
    RECEIVER_STATUSES,
    SENDER_STATUSES,
    referral_note_add,
    referral_send,
    referral_transition,
)
from tandem.registry.selectors import person_queryset_for
from tandem.registry.services import IncomeData, MemberData, household_update
from tandem.trajectories import services as tservices
from tandem.trajectories.models import ActionStatus
from tandem.trajectories.plan import services as plan_services
from tandem.trajectories.selectors import caseload_for
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
S = ReferralStatus
NOW = timezone.now()
TODAY = timezone.localdate()


def make_service(organisation, name="Woonbegeleiding", domains=("housing", "income"), **kw):
    return Service.objects.create(
        organisation=organisation, name=name, life_domains=list(domains), **kw
    )


@pytest.fixture
def ocmw_worker(ocmw):
    """A welfare partner at the OCMW who is not in the duo: only the referral brings them in."""
    return make_user(Role.WELFARE_PARTNER, organisation=ocmw, username="ocmw_worker")


@pytest.fixture
def caw(db):
    return OrganisationFactory(name="CAW Oost-Vlaanderen", code="caw-ov-t", kind="caw")


@pytest.fixture
def caw_worker(caw):
    return make_user(Role.WELFARE_PARTNER, organisation=caw, username="caw_worker")


@pytest.fixture
def service(ocmw):
    return make_service(ocmw)


@pytest.fixture
def caw_service(caw):
    return make_service(caw, name="Schuldhulp", domains=("income", "housing"))


@pytest.fixture
def plan(mediator, person):
    """An active trajectory with goals and actions in four life domains."""
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=200),
    )
    actions = {}
    for domain, goal, action in (
        ("housing", "Een betaalbare woning", "Inschrijven bij het SVK"),
        ("income", "Zicht op de schulden", "Budgetbegeleiding aanvragen"),
        ("work_education", "Een job in de logistiek", "Cv opmaken"),
        ("mental_health", "Beter slapen", "Afspraak bij het CGG"),
    ):
        g = plan_services.goal_create(
            acting_user=mediator, trajectory=trajectory, domain=domain, description=goal
        )
        actions[domain] = plan_services.action_create(
            acting_user=mediator, goal=g, description=action, owner="client"
        )
    return trajectory, actions


def consent(mediator, person, organisation, domains, **kw):
    return consent_give(
        acting_user=mediator,
        person=person,
        domains=domains,
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=organisation,
        given_on=TODAY - dt.timedelta(days=150),
        **kw,
    )


def send(mediator, plan, service, domain="housing", **kw):
    kw.setdefault("question", "Kan woonbegeleiding starten?")
    return referral_send(acting_user=mediator, action=plan[1][domain], service=service, **kw)


# --- consent rules --------------------------------------------------------------------------


def test_without_consent_the_referral_is_refused(mediator, plan, service):
    with pytest.raises(ValidationError) as exc:
        send(mediator, plan, service)
    assert "service" in exc.value.error_dict
    assert "OCMW Gent" in str(exc.value)
    assert not Referral.objects.exists()
    plan[1]["housing"].refresh_from_db()
    assert plan[1]["housing"].owner == "client" and not plan[1]["housing"].referral_ref


def test_consent_must_cover_the_actions_life_domain(mediator, person, plan, service, ocmw):
    consent(mediator, person, ocmw, ["income"])
    with pytest.raises(ValidationError):
        send(mediator, plan, service, domain="housing")
    assert send(mediator, plan, service, domain="income").domains == ["income"]


def test_a_withdrawn_consent_no_longer_counts(mediator, person, plan, service, ocmw):
    c = consent(mediator, person, ocmw, ["housing"])
    consent_withdraw(acting_user=mediator, consent=c)
    with pytest.raises(ValidationError):
        send(mediator, plan, service)


def test_a_consent_for_the_kind_of_organisation_counts(mediator, person, plan, service):
    consent_give(
        acting_user=mediator,
        person=person,
        domains=["housing"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_kind=OrganisationKind.OCMW,
    )
    referral = send(mediator, plan, service)
    assert referral.consent is not None and referral.domains == ["housing"]


def test_override_needs_a_written_reason_by_a_mediator_and_is_audited(
    mediator, person, plan, service, partner
):
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=plan[0], partner=partner
    )
    # A welfare partner in the duo may write the trajectory, but not override consent.
    with pytest.raises(PermissionDenied):
        send(partner, plan, service, override_reason="Dringend")
    with pytest.raises(ValidationError):
        send(mediator, plan, service, override_reason="   ")
    referral = send(mediator, plan, service, override_reason="Uithuiszetting deze week")
    assert referral.consent is None
    assert referral.override_reason == "Uithuiszetting deze week"
    assert referral.domains == []
    # Only name and contact travel.
    assert set(referral.shared_data) == {"person", "plan"}
    assert referral.shared_data["plan"] == []
    event = AuditEvent.objects.get(event_type="referral.sent_without_consent")
    assert event.actor == mediator and event.person == person
    # The reason stays with the referral; the audit trail keeps only that one was given.
    assert event.data["reason_given"] is True and "override_reason" not in event.data
    assert "Uithuiszetting" not in str(event.data)
    assert event.data["consent"] is None


def test_an_override_reason_is_not_kept_when_consent_covers_it(
    mediator, person, plan, service, ocmw
):
    consent(mediator, person, ocmw, ["housing"])
    referral = send(mediator, plan, service, override_reason="Voor de zekerheid")
    assert referral.override_reason == "" and referral.consent is not None
    assert AuditEvent.objects.filter(event_type="referral.sent").count() == 1


def test_the_referral_carries_only_the_consented_domains(mediator, person, plan, service, ocmw):
    household_update(
        acting_user=mediator,
        household=person.household,
        members=[MemberData(relation="child", first_name="Amira", birth_date=dt.date(2019, 3, 1))],
        incomes=[IncomeData(kind="leefloon", monthly_amount=Decimal("1300.00"))],
    )
    consent(mediator, person, ocmw, ["housing", "income", "mental_health"])
    referral = send(mediator, plan, service)
    data = referral.shared_data
    assert data["person"]["last_name"] == "Amrani"
    assert "insz" not in data["person"]
    assert [g["domain"] for g in data["plan"]] == ["housing", "income", "mental_health"]
    assert "work_education" not in data
    assert {m["first_name"] for m in data["household"]["members"]} >= {"Amira"}
    assert data["household"]["income"][0]["monthly_amount"] == "1300.00"
    assert referral.domains == ["income", "housing", "mental_health"]


def test_household_and_income_travel_only_with_finances(mediator, person, plan, service, ocmw):
    consent(mediator, person, ocmw, ["housing", "work_education"])
    data = send(mediator, plan, service).shared_data
    assert "household" not in data
    assert data["work_education"]["registration"] == "registered"
    assert [g["domain"] for g in data["plan"]] == ["housing", "work_education"]


def test_special_categories_travel_only_from_the_duo(
    mediator, organisation, person, plan, service, ocmw
):
    colleague = make_user(Role.MEDIATOR, organisation=organisation, username="colleague")
    consent(mediator, person, ocmw, ["housing", "mental_health"])
    referral = send(colleague, plan, service)
    assert referral.domains == ["housing"]
    assert [g["domain"] for g in referral.shared_data["plan"]] == ["housing"]
    # A colleague outside the duo does not see the mental-health action: cannot refer it.
    with pytest.raises(PermissionDenied):
        send(colleague, plan, service, domain="mental_health")


def test_sending_links_the_plan_action_and_audits(mediator, person, plan, service, ocmw):
    consent(mediator, person, ocmw, ["housing"])
    referral = send(mediator, plan, service)
    action = plan[1]["housing"]
    action.refresh_from_db()
    assert action.owner == "referral" and action.referral_ref == str(referral.public_id)
    assert referral.organisation == mediator.organisation
    assert referral.receiving_organisation == ocmw
    assert referral.status == S.SENT and referral.last_update_at == referral.sent_at
    change = ReferralStatusChange.objects.get(referral=referral)
    assert (change.from_status, change.to_status, change.by) == ("", S.SENT, mediator)
    event = AuditEvent.objects.get(event_type="referral.sent")
    assert event.data["referral"] == str(referral.public_id) and event.data["to"] == ocmw.code
    assert "override_reason" not in event.data


def test_sending_is_refused_where_it_makes_no_sense(
    mediator, person, plan, service, ocmw, other_mediator, organisation
):
    consent(mediator, person, ocmw, ["housing", "income"])
    with pytest.raises(PermissionDenied):
        send(other_mediator, plan, service)
    with pytest.raises(ValidationError):
        send(mediator, plan, service, question="  ")
    own = make_service(organisation, name="Eigen dienst")
    with pytest.raises(ValidationError):
        send(mediator, plan, own)
    closed = make_service(ocmw, name="Gesloten", status="inactive")
    with pytest.raises(ValidationError):
        send(mediator, plan, closed)
    with pytest.raises(ValidationError):
        send(mediator, plan, service, at=NOW + dt.timedelta(hours=1))
    send(mediator, plan, service)
    with pytest.raises(ValidationError):  # one open referral per action
        send(mediator, plan, service)
    plan_services.action_set_status(
        acting_user=mediator, action=plan[1]["income"], status=ActionStatus.DONE
    )
    with pytest.raises(ValidationError):
        send(mediator, plan, service, domain="income")


# --- the state machine -------------------------------------------------------------------------

# How to reach each status from "sent".
ROAD = {
    S.SENT: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.IN_PROGRESS: [S.ACCEPTED, S.IN_PROGRESS],
    S.COMPLETED: [S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED],
    S.NOT_REACHED: [S.ACCEPTED, S.NOT_REACHED],
    S.DECLINED: [S.DECLINED],
    S.NO_CAPACITY: [S.NO_CAPACITY],
    S.WITHDRAWN: [S.WITHDRAWN],
}
TEXTS = {"reason": "Omdat", "outcome": "Afbetalingsplan loopt"}


@pytest.fixture
def referral(mediator, person, plan, service, ocmw):
    consent(mediator, person, ocmw, ["housing", "income"])
    return send(mediator, plan, service)


def _move(referral, status, sender, receiver):
    user = receiver if status in RECEIVER_STATUSES else sender
    return referral_transition(acting_user=user, referral=referral, to_status=status, **TEXTS)


def _at(referral, status, sender, receiver):
    for step in ROAD[status]:
        referral = _move(referral, step, sender, receiver)
    return referral


def test_the_road_covers_every_status():
    assert set(ROAD) == set(S.values) == set(REFERRAL_TRANSITIONS)
    assert set(S.values) - {S.SENT} == RECEIVER_STATUSES | SENDER_STATUSES


@pytest.mark.parametrize(
    ("before", "after"), list(itertools.product(S.values, [s for s in S.values if s != S.SENT]))
)
def test_every_transition_allowed_and_refused(referral, mediator, ocmw_worker, before, after):
    referral = _at(referral, before, mediator, ocmw_worker)
    assert referral.status == before
    changes = ReferralStatusChange.objects.filter(referral=referral).count()
    if after in REFERRAL_TRANSITIONS[before]:
        moved = _move(referral, after, mediator, ocmw_worker)
        assert moved.status == after
        last = ReferralStatusChange.objects.filter(referral=referral).last()
        assert (last.from_status, last.to_status) == (before, after)
        assert moved.last_update_at == last.at
        event = (
            AuditEvent.objects.filter(event_type="referral.status_changed").order_by("pk").last()
        )
        assert event.data == {
            "referral": str(referral.public_id),
            "from": before,
            "to": after,
            "side": "receiver" if after in RECEIVER_STATUSES else "sender",
        }
    else:
        with pytest.raises(TransitionNotAllowed):
            _move(referral, after, mediator, ocmw_worker)
        referral.refresh_from_db()
        assert referral.status == before
        assert ReferralStatusChange.objects.filter(referral=referral).count() == changes


@pytest.mark.parametrize("after", sorted(REFERRAL_TRANSITIONS[S.SENT]))
def test_each_side_makes_only_its_own_moves_from_sent(referral, mediator, ocmw_worker, after):
    wrong = mediator if after in RECEIVER_STATUSES else ocmw_worker
    with pytest.raises(PermissionDenied):
        referral_transition(acting_user=wrong, referral=referral, to_status=after, **TEXTS)


@pytest.mark.parametrize("after", [S.COMPLETED, S.NOT_REACHED, S.WITHDRAWN])
def test_the_sender_may_close_the_loop(referral, mediator, ocmw_worker, after):
    referral = _at(referral, S.IN_PROGRESS, mediator, ocmw_worker)
    moved = referral_transition(acting_user=mediator, referral=referral, to_status=after, **TEXTS)
    assert moved.status == after


def test_the_receiver_may_not_withdraw(referral, mediator, ocmw_worker):
    referral = _at(referral, S.ACCEPTED, mediator, ocmw_worker)
    with pytest.raises(PermissionDenied):
        referral_transition(acting_user=ocmw_worker, referral=referral, to_status=S.WITHDRAWN)


def test_outsiders_may_not_move_a_referral(referral, caw_worker, other_mediator, ocmw):
    programme_manager = make_user(Role.PROGRAMME_MANAGER, organisation=ocmw)
    for user in (caw_worker, other_mediator, programme_manager):
        with pytest.raises(PermissionDenied):
            referral_transition(acting_user=user, referral=referral, to_status=S.ACCEPTED)
        with pytest.raises(PermissionDenied):
            referral_note_add(acting_user=user, referral=referral, note="x")


def test_a_decline_needs_a_reason_and_a_completion_an_outcome(referral, mediator, ocmw_worker):
    with pytest.raises(ValidationError) as exc:
        referral_transition(acting_user=ocmw_worker, referral=referral, to_status=S.DECLINED)
    assert "reason" in exc.value.error_dict
    referral = _at(referral, S.IN_PROGRESS, mediator, ocmw_worker)
    with pytest.raises(ValidationError) as exc:
        referral_transition(acting_user=ocmw_worker, referral=referral, to_status=S.COMPLETED)
    assert "outcome" in exc.value.error_dict
    done = referral_transition(
        acting_user=ocmw_worker, referral=referral, to_status=S.COMPLETED, outcome="Gelukt"
    )
    assert done.outcome == "Gelukt" and done.reason == ""


def test_moments_cannot_go_back_or_lie_ahead(referral, ocmw_worker):
    with pytest.raises(ValidationError):
        referral_transition(
            acting_user=ocmw_worker,
            referral=referral,
            to_status=S.ACCEPTED,
            at=referral.sent_at - dt.timedelta(minutes=1),
        )
    with pytest.raises(ValidationError):
        referral_transition(
            acting_user=ocmw_worker,
            referral=referral,
            to_status=S.ACCEPTED,
            at=NOW + dt.timedelta(days=1),
        )


def test_a_progress_update_keeps_the_status_and_resets_the_clock(referral, ocmw_worker):
    updated = referral_note_add(
        acting_user=ocmw_worker, referral=referral, note="Eerste gesprek gepland"
    )
    assert updated.status == S.SENT and updated.last_update_at > referral.sent_at
    row = ReferralStatusChange.objects.filter(referral=referral).last()
    assert (row.from_status, row.to_status, row.note) == (S.SENT, S.SENT, "Eerste gesprek gepland")
    assert AuditEvent.objects.filter(event_type="referral.updated").exists()
    with pytest.raises(ValidationError):
        referral_note_add(acting_user=ocmw_worker, referral=referral, note=" ")


# --- the plan action follows -----------------------------------------------------------------


def test_a_completion_by_the_receiver_marks_the_action_done(referral, mediator, ocmw_worker, plan):
    referral = _at(referral, S.IN_PROGRESS, mediator, ocmw_worker)
    referral_transition(
        acting_user=ocmw_worker, referral=referral, to_status=S.COMPLETED, outcome="Woning"
    )
    action = plan[1]["housing"]
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on == TODAY
    event = AuditEvent.objects.filter(event_type="plan.action_status").order_by("pk").last()
    assert event.actor == ocmw_worker
    assert event.data["referral"] == str(referral.public_id)


def test_a_completion_by_the_sender_goes_through_the_plan_service(
    referral, mediator, ocmw_worker, plan
):
    referral = _at(referral, S.IN_PROGRESS, mediator, ocmw_worker)
    referral_transition(
        acting_user=mediator, referral=referral, to_status=S.COMPLETED, outcome="Zelf gehoord"
    )
    action = plan[1]["housing"]
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    event = AuditEvent.objects.filter(event_type="plan.action_status").order_by("pk").last()
    assert event.actor == mediator and "referral" not in event.data


@pytest.mark.parametrize("end", [S.DECLINED, S.NO_CAPACITY, S.NOT_REACHED, S.WITHDRAWN])
def test_any_other_end_leaves_the_action_open_to_refer_again(
    referral, mediator, ocmw_worker, plan, caw_service, caw, person, end
):
    referral = _at(referral, end, mediator, ocmw_worker)
    action = plan[1]["housing"]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.owner == "referral"
    consent(mediator, person, caw, ["housing"])
    again = send(mediator, plan, caw_service)
    action.refresh_from_db()
    assert action.referral_ref == str(again.public_id)


# --- what the receiver sees ------------------------------------------------------------------


def test_the_receiver_sees_only_referrals_addressed_to_its_organisation(
    referral, mediator, person, plan, caw, caw_service, caw_worker, ocmw_worker, client
):
    consent(mediator, person, caw, ["income"])
    to_caw = send(mediator, plan, caw_service, domain="income")
    assert [v.referral for v in rsel.inbox_for(ocmw_worker, status="")] == [referral]
    assert [v.referral for v in rsel.inbox_for(caw_worker, status="")] == [to_caw]
    client.force_login(caw_worker)
    url = reverse("network:referral_detail", kwargs={"referral_id": referral.public_id})
    assert client.get(url).status_code == 404
    response = client.get(reverse("network:referral_inbox"))
    assert "Amrani" in response.content.decode()
    assert [v.referral for v in response.context["rows"]] == [to_caw]
    # The CAW sees only finances, not the housing the OCMW was told about.
    view = rsel.inbox_for(caw_worker)[0]
    assert view.domains == ["income"]
    assert [g["domain"] for g in view.shared["plan"]] == ["income"]


def test_the_receiver_sees_only_what_consent_still_covers(
    referral, mediator, person, ocmw, ocmw_worker
):
    view = rsel.inbox_for(ocmw_worker)[0]
    assert view.person_visible and view.domains == ["income", "housing"]
    # The person narrows what they share: a new consent for housing only.
    old = referral.consent
    consent(mediator, person, ocmw, ["housing"])
    consent_withdraw(acting_user=mediator, consent=old)
    view = rsel.inbox_for(ocmw_worker)[0]
    assert view.person_visible and view.domains == ["housing"]
    assert "household" not in view.shared
    assert [g["domain"] for g in view.shared["plan"]] == ["housing"]


def test_a_withdrawn_consent_takes_the_receivers_access_at_once(
    referral, mediator, person, ocmw_worker, client
):
    assert person_queryset_for(ocmw_worker).filter(pk=person.pk).exists()
    client.force_login(ocmw_worker)
    url = reverse("network:referral_detail", kwargs={"referral_id": referral.public_id})
    assert "Amrani" in client.get(url).content.decode()
    consent_withdraw(acting_user=mediator, consent=referral.consent)
    # The very next read: no person data, the referral stays to close the loop.
    assert not person_queryset_for(ocmw_worker).filter(pk=person.pk).exists()
    view = rsel.inbox_for(ocmw_worker)[0]
    assert view.consent_withdrawn and not view.person_visible and view.shared == {}
    logged = AccessLog.objects.count()
    inbox = client.get(reverse("network:referral_inbox")).content.decode()
    page = client.get(url)
    body = page.content.decode()
    for text in ("Amrani", "Yasmina", "Kortrijksesteenweg", "Kan woonbegeleiding"):
        assert text not in inbox and text not in body
    assert 'id="referral-consent-withdrawn"' in body
    assert AccessLog.objects.count() == logged  # nothing about the person was shown
    file_url = reverse("registry:person_detail", kwargs={"public_id": person.public_id})
    assert client.get(file_url).status_code == 404
    # The receiver can still close the loop.
    referral_transition(
        acting_user=ocmw_worker, referral=referral, to_status=S.DECLINED, reason="Geen toestemming"
    )


def test_a_closed_referral_no_longer_opens_the_person_file(referral, mediator, person, ocmw_worker):
    assert person_queryset_for(ocmw_worker).filter(pk=person.pk).exists()
    referral_transition(
        acting_user=ocmw_worker, referral=referral, to_status=S.NO_CAPACITY, reason="Wachtlijst"
    )
    assert not person_queryset_for(ocmw_worker).filter(pk=person.pk).exists()
    # The inbox keeps the referral with what travelled while consent is in force.
    assert rsel.inbox_for(ocmw_worker, status="closed")[0].person_visible


def test_a_referral_without_consent_shows_name_and_contact_only_while_open(
    mediator, plan, service, ocmw_worker
):
    referral = send(mediator, plan, service, override_reason="Dringend")
    view = rsel.inbox_for(ocmw_worker)[0]
    assert view.person_visible and not view.consent_withdrawn
    assert view.domains == [] and view.shared["plan"] == []
    assert not person_queryset_for(ocmw_worker).filter(pk=referral.person_id).exists()
    referral_transition(
        acting_user=ocmw_worker, referral=referral, to_status=S.DECLINED, reason="x"
    )
    assert not rsel.inbox_for(ocmw_worker, status="")[0].person_visible


def test_the_receiver_through_the_referral_sees_only_consented_domains_of_the_file(
    referral, ocmw_worker, plan
):
    from tandem.access.scope import domains_visible_to

    assert domains_visible_to(ocmw_worker, plan[0]) == {"income", "housing"}


# --- the sending side ----------------------------------------------------------------------------


def test_the_sending_side_scoping(referral, mediator, organisation, other_mediator, person, plan):
    colleague = make_user(Role.MEDIATOR, organisation=organisation, username="colleague2")
    assert rsel.referral_queryset_for(mediator).get() == referral
    assert rsel.referral_queryset_for(colleague).get() == referral
    assert not rsel.referral_queryset_for(other_mediator).exists()
    # A referral of a special-category action: only the duo sees it.
    referral_mh = send(
        mediator, plan, referral.service, domain="mental_health", override_reason="x"
    )
    assert referral_mh in rsel.referral_queryset_for(mediator)
    assert referral_mh not in rsel.referral_queryset_for(colleague)


def test_overdue_after_n_days_without_an_update(mediator, person, plan, service, ocmw, settings):
    settings.TANDEM_REFERRAL_OVERDUE_DAYS = 14
    consent(mediator, person, ocmw, ["housing", "income"])
    sent_at = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=40), dt.time(15)))
    late = send(mediator, plan, service, at=sent_at)
    fresh = send(mediator, plan, service, domain="income")
    day = timezone.localdate(sent_at)
    assert not is_overdue(late, today=day + dt.timedelta(days=13))
    assert is_overdue(late, today=day + dt.timedelta(days=14))
    assert is_overdue(late) and not is_overdue(fresh)
    sent = list(rsel.sent_for(mediator, overdue_only=True))
    assert sent == [late]
    assert [r.is_late for r in rsel.sent_for(mediator, status="open")] == [True, False]
    row = caseload_for(mediator).get()
    assert row.overdue_referrals == 1
    assert caseload_for(mediator, today=day + dt.timedelta(days=13)).get().overdue_referrals is None
    # An update resets the clock; a closed referral is never overdue.
    referral_note_add(acting_user=mediator, referral=late, note="Gebeld, komt eraan")
    assert not is_overdue(Referral.objects.get(pk=late.pk))
    # N is a setting.
    settings.TANDEM_REFERRAL_OVERDUE_DAYS = 1
    assert is_overdue(fresh, today=TODAY + dt.timedelta(days=1))
    assert not is_overdue(fresh, today=TODAY)


# --- figures -----------------------------------------------------------------------------------


def test_figures_on_a_hand_computed_set(mediator, person, organisation, ocmw, ocmw_worker, caw):
    base = timezone.now() - dt.timedelta(days=60)
    trajectory = tservices.trajectory_start(
        acting_user=mediator,
        person=person,
        type="w2",
        reason="x",
        status="active",
        start_date=TODAY - dt.timedelta(days=100),
    )
    goal = plan_services.goal_create(
        acting_user=mediator, trajectory=trajectory, domain="housing", description="Wonen"
    )
    consent(mediator, person, ocmw, ["housing"])
    consent(mediator, person, caw, ["housing"])
    service_a = make_service(ocmw, name="Woonbegeleiding")
    service_b = make_service(caw, name="Schuldhulp")
    caw_worker = make_user(Role.WELFARE_PARTNER, organisation=caw)

    def referral_to(service, days_to_accept, road, receiver=ocmw_worker):
        action = plan_services.action_create(
            acting_user=mediator, goal=goal, description="Actie", owner="client"
        )
        r = referral_send(
            acting_user=mediator, action=action, service=service, question="?", at=base
        )
        at = base
        for step in road:
            at = at + dt.timedelta(days=days_to_accept if step == S.ACCEPTED else 1)
            user = receiver if step in RECEIVER_STATUSES else mediator
            r = referral_transition(acting_user=user, referral=r, to_status=step, at=at, **TEXTS)
        return r

    done = [S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
    referral_to(service_a, 1, done)
    referral_to(service_a, 2, done)
    referral_to(service_a, 3, [S.ACCEPTED, S.NOT_REACHED])
    referral_to(service_a, 4, [S.ACCEPTED])
    referral_to(service_a, 5, done)
    referral_to(service_a, 0, [S.NO_CAPACITY])
    referral_to(service_a, 0, [S.DECLINED])
    referral_to(service_a, 0, [S.WITHDRAWN])
    referral_to(service_b, 2, [S.ACCEPTED], receiver=caw_worker)
    referral_to(service_b, 0, [S.NO_CAPACITY], receiver=caw_worker)

    figures = {
        o.total.name: o
        for o in rsel.referral_figures(date_from=TODAY - dt.timedelta(days=365), date_to=TODAY)
    }
    a = figures["OCMW Gent"].services[0]
    assert a.name == "Woonbegeleiding"
    assert (a.sent, a.accepted, a.ended, a.completed, a.answered, a.no_capacity) == (
        8,
        5,
        7,
        3,
        7,
        1,
    )
    assert a.sent_shown == "8"
    assert a.median_days == 3.0  # 1, 2, 3, 4, 5
    assert a.share_completed == 42.9  # 3 of 7 closed
    assert a.share_no_capacity == 14.3  # 1 of 7 answered
    b = figures["CAW Oost-Vlaanderen"].total
    assert b.sent == 2 and b.sent_shown == "x"
    assert b.median_days is None and b.share_completed is None and b.share_no_capacity is None


def test_the_figures_page_shows_aggregates_only(referral, client, ocmw):
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=ocmw)
    client.force_login(manager)
    response = client.get(reverse("network:referral_figures"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Woonbegeleiding" in body and "x" in body
    assert "Amrani" not in body
    assert not AccessLog.objects.filter(user=manager).exists()


def test_the_figures_page_is_not_for_every_role(client, organisation):
    client.force_login(make_user(Role.JOB_COACH, organisation=organisation))
    assert client.get(reverse("network:referral_figures")).status_code == 403


# --- pages -------------------------------------------------------------------------------------


def test_send_through_the_form(mediator_client, mediator, person, plan, service, ocmw):
    trajectory, actions = plan
    url = reverse(
        "network:referral_send",
        kwargs={"trajectory_id": trajectory.public_id, "action_id": actions["housing"].pk},
    )
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = mediator_client.get(url, **english)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Woonbegeleiding — OCMW Gent (no consent)" in body
    assert 'name="override_reason"' in body
    # Without consent and without a reason: refused, said on the service field.
    response = mediator_client.post(url, {"service": service.pk, "question": "Woning?"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["service"]
    assert "OCMW Gent" in response.context["form"].errors["service"][0]
    consent(mediator, person, ocmw, ["housing", "income"])
    page = mediator_client.get(url, **english)
    assert "Woonbegeleiding — OCMW Gent (consent: finances and debts, housing)" in (
        page.content.decode()
    )
    response = mediator_client.post(url, {"service": service.pk, "question": "Woning?"})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "network:referral_detail", kwargs={"referral_id": referral.public_id}
    )
    assert AccessLog.objects.filter(person=person, what="referral form").count() == 4
    detail = mediator_client.get(
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    ).content.decode()
    assert f'id="action{actions["housing"].pk}-referral"' in detail
    assert f'id="action{actions["housing"].pk}-refer"' not in detail  # open referral
    assert f'id="action{actions["income"].pk}-refer"' in detail  # a welfare domain
    assert f'id="action{actions["work_education"].pk}-refer"' not in detail


def test_the_plan_links_a_referral_only_for_who_may_open_it(client, plan, referral):
    """Who sees the trajectory but may not open the referral (the outreach worker who
    registered the person) sees its status without a link: the link led to a 404 (found by
    the crawl)."""
    trajectory, actions = plan
    detail_url = reverse(
        "trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id}
    )
    referral_url = reverse("network:referral_detail", kwargs={"referral_id": referral.public_id})
    line = f'id="action{actions["housing"].pk}-referral"'
    outreach = make_user(Role.OUTREACH_WORKER, organisation=OrganisationFactory(kind="outreach"))
    type(trajectory.person).objects.filter(pk=trajectory.person_id).update(created_by=outreach)
    client.force_login(outreach)
    body = client.get(detail_url).content.decode()
    assert line in body and "Woonbegeleiding" in body
    assert referral_url not in body and "Kan woonbegeleiding starten?" not in body
    assert client.get(referral_url).status_code == 404
    client.force_login(trajectory.lead_mediator)
    body = client.get(detail_url).content.decode()
    assert line in body and referral_url in body
    assert client.get(referral_url).status_code == 200


def test_the_override_field_is_a_mediators(client, plan, partner, mediator, service):
    tservices.trajectory_set_welfare_partner(
        acting_user=mediator, trajectory=plan[0], partner=partner
    )
    consent(mediator, plan[0].person, partner.organisation, ["housing"])
    client.force_login(partner)
    url = reverse(
        "network:referral_send",
        kwargs={"trajectory_id": plan[0].public_id, "action_id": plan[1]["housing"].pk},
    )
    page = client.get(url)
    assert page.status_code == 200 and 'name="override_reason"' not in page.content.decode()


def test_the_send_form_of_another_organisation_is_a_404(other_mediator, client, plan):
    client.force_login(other_mediator)
    url = reverse(
        "network:referral_send",
        kwargs={"trajectory_id": plan[0].public_id, "action_id": plan[1]["housing"].pk},
    )
    assert client.get(url).status_code == 404


def test_the_receiver_moves_the_referral_on_the_page(referral, client, ocmw_worker, plan):
    client.force_login(ocmw_worker)
    url = reverse("network:referral_detail", kwargs={"referral_id": referral.public_id})
    move = reverse("network:referral_transition", kwargs={"referral_id": referral.public_id})
    page = client.get(url)
    body = page.content.decode()
    assert "Amrani" in body and "Zicht op de schulden" in body and "Cv opmaken" not in body
    assert AccessLog.objects.filter(user=ocmw_worker, what="referral").count() == 1
    assert [c[0] for c in page.context["transition_form"].fields["to_status"].choices] == [
        S.ACCEPTED,
        S.DECLINED,
        S.NO_CAPACITY,
    ]
    response = client.post(move, {"move-to_status": S.DECLINED})
    assert response.status_code == 400
    assert list(response.context["transition_form"].errors) == ["reason"]
    assert client.post(move, {"move-to_status": S.ACCEPTED}).status_code == 302
    assert client.post(move, {"move-to_status": S.IN_PROGRESS}).status_code == 302
    response = client.post(move, {"move-to_status": S.COMPLETED, "move-outcome": "Woning"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    plan[1]["housing"].refresh_from_db()
    assert plan[1]["housing"].status == ActionStatus.DONE
    # Nothing left to change: posting is refused.
    assert client.post(move, {"move-to_status": S.ACCEPTED}).status_code == 403


def test_a_progress_update_on_the_page(referral, client, ocmw_worker):
    client.force_login(ocmw_worker)
    url = reverse("network:referral_note", kwargs={"referral_id": referral.public_id})
    assert client.post(url, {"update-note": ""}).status_code == 400
    assert client.post(url, {"update-note": "Eerste gesprek op 3/3"}).status_code == 302
    assert ReferralStatusChange.objects.filter(note="Eerste gesprek op 3/3").exists()


def test_the_sent_list(referral, mediator_client, person):
    response = mediator_client.get(reverse("network:referral_sent"))
    assert response.status_code == 200
    assert list(response.context["rows"]) == [referral]
    assert AccessLog.objects.filter(person=person, what="referrals sent").count() == 1
    overdue = mediator_client.get(reverse("network:referral_sent"), {"status": "overdue"})
    assert list(overdue.context["rows"]) == []


@pytest.mark.parametrize("n", [5, 50])
def test_the_inbox_costs_a_constant_number_of_queries(
    n, mediator, ocmw, ocmw_worker, service, client, django_assert_max_num_queries
):
    for i in range(n):
        p = make_person(mediator, first_name=f"P{i}")
        t = tservices.trajectory_start(
            acting_user=mediator, person=p, type="w2", reason="x", status="active"
        )
        g = plan_services.goal_create(
            acting_user=mediator, trajectory=t, domain="housing", description="Wonen"
        )
        a = plan_services.action_create(
            acting_user=mediator, goal=g, description="a", owner="client"
        )
        consent_give(
            acting_user=mediator,
            person=p,
            domains=["housing"],
            purpose="x",
            evidence="signed_form",
            recipient_organisation=ocmw,
        )
        referral_send(acting_user=mediator, action=a, service=service, question="?")
    client.force_login(ocmw_worker)
    url = reverse("network:referral_inbox")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["rows"]) == n
    assert AccessLog.objects.filter(what="referral inbox").count() == 2 * n


@pytest.mark.parametrize("n", [5, 30])
def test_the_caseload_with_referrals_stays_within_12_queries(
    n, mediator, ocmw, service, client, django_assert_max_num_queries
):
    sent_at = timezone.now() - dt.timedelta(days=30)
    for i in range(n):
        p = make_person(mediator, first_name=f"P{i}")
        t = tservices.trajectory_start(
            acting_user=mediator,
            person=p,
            type="w2",
            reason="x",
            status="active",
            start_date=TODAY - dt.timedelta(days=60),
        )
        g = plan_services.goal_create(
            acting_user=mediator, trajectory=t, domain="housing", description="Wonen"
        )
        a = plan_services.action_create(
            acting_user=mediator, goal=g, description="a", owner="client"
        )
        referral_send(
            acting_user=mediator,
            action=a,
            service=service,
            question="?",
            override_reason="Dringend",
            at=sent_at,
        )
    client.force_login(mediator)
    url = reverse("trajectories:caseload")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert [r["t"].overdue_referrals for r in response.context["rows"]] == [1] * n
    assert 'href="/referrals/sent/?status=overdue"' in response.content.decode()


# --- retention ---------------------------------------------------------------------------------


def test_erasure_takes_the_referrals_with_the_file(referral, mediator, organisation, plan):
    from tandem.privacy.erasure import person_erase

    tservices.trajectory_transition(
        acting_user=mediator, trajectory=plan[0], to_status="closed", closure_reason="other"
    )
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, organisation=organisation)
    report = person_erase(acting_user=dpo, person=referral.person, reason="Verzoek van 1/3")
    assert report.counts["referrals"] == 1
    assert not Referral.objects.exists() and not ReferralStatusChange.objects.exists()


# --- demo data ---------------------------------------------------------------------------------


def test_the_demo_gives_referrals_in_every_status(mediator, ocmw, partner, organisation):
    import random

    from tandem.demo.referrals import seed_referrals

    svk = OrganisationFactory(name="SVK Gent", code="svk-gent-t", kind="svk")
    make_service(ocmw)
    make_service(svk, name="Woonbegeleiding SVK", domains=("housing",))
    for i in range(30):
        p = make_person(mediator, first_name=f"P{i}")
        t = tservices.trajectory_start(
            acting_user=mediator,
            person=p,
            type="w2",
            reason="x",
            status="active",
            start_date=TODAY - dt.timedelta(days=300),
        )
        if i < 27:
            consent(mediator, p, ocmw, ["housing", "income"])
            tservices.trajectory_set_welfare_partner(
                acting_user=mediator, trajectory=t, partner=partner
            )
        g = plan_services.goal_create(
            acting_user=mediator, trajectory=t, domain="housing", description="Wonen"
        )
        plan_services.action_create(acting_user=mediator, goal=g, description="SVK", owner="client")
    made = seed_referrals(random.Random(2026))
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(S.values)
    assert Referral.objects.count() == made
    assert Referral.objects.filter(consent__isnull=True, receiving_organisation=svk).count() == 2
    assert any(is_overdue(r) for r in Referral.objects.all())
    assert seed_referrals(random.Random(2026)) == 0  # idempotent


def test_the_subject_access_export_lists_the_referrals(referral, person):
    from tandem.privacy.export import person_export

    data = person_export(person)
    [row] = data["referrals"]
    assert row["public_id"] == referral.public_id
    assert row["history"] and row["history"][0]["to"] == "sent"
    assert "referrals" not in data["export"]["not_recorded_yet"]
