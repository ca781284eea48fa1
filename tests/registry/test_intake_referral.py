"""A referral addressed to a VDAB office lands in its intake queue (issue 18: "a person referred
to an office (... a referral addressed to the office) lands in that office's queue with the
sender's note, urgency and waiting days").

The item carries the referral: the referral's status is what the sender reads, the item is
how the office answers it, and the two move together whichever side acts (README, *Intake
queue*; ``tandem.registry.intake.services``): taking the item accepts the referral, sending it
back declines it with the reason; an answer from the inbox, or a withdrawal while it waits,
moves the item. The table ``CASES`` holds every pair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import OrganisationKind, Role
from tandem.common.transitions import TransitionNotAllowed
from tandem.network.consent.services import consent_give
from tandem.network.models import Referral, ReferralStatus, Service
from tandem.network.referrals.services import referral_send, referral_transition
from tandem.notifications.models import Notification
from tandem.registry.intake import selectors, services
from tandem.registry.intake.models import Intake, IntakeSource, IntakeStatus, Urgency
from tandem.registry.intake.services import INTAKE
from tandem.registry.models import PersonAssignment
from tandem.trajectories import services as tservices
from tandem.trajectories.plan import services as plan_services
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUESTION = "Kan hij starten bij de werkwinkel? Hij wil in de logistiek werken."
S, IS = ReferralStatus, IntakeStatus


@pytest.fixture
def vdab(db):
    return OrganisationFactory(name="VDAB", code="vdab-root")


@pytest.fixture
def aalst(vdab):
    return OrganisationFactory(
        name="VDAB Aalst",
        code="vdab-aalst",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )


@pytest.fixture
def ghent(vdab):
    return OrganisationFactory(
        name="VDAB Gent",
        code="vdab-gent",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )


@pytest.fixture
def caw(db):
    return OrganisationFactory(name="CAW Oost-Vlaanderen", code="caw-ov-i", kind="caw")


@pytest.fixture
def lead(aalst):
    return make_user(Role.MEDIATOR, organisation=aalst, username="aalst_lead")


@pytest.fixture
def partner(caw):
    return make_user(Role.WELFARE_PARTNER, organisation=caw, username="caw_partner")


@pytest.fixture
def ghent_mediator(ghent):
    return make_user(Role.MEDIATOR, organisation=ghent, username="gent_med")


@pytest.fixture
def ghent_colleague(ghent):
    return make_user(Role.MEDIATOR, organisation=ghent, username="gent_med2")


@pytest.fixture
def ghent_outreach(ghent):
    """Someone of the office who may answer referrals but is no mediator (no queue)."""
    return make_user(Role.OUTREACH_WORKER, organisation=ghent, username="gent_outreach")


@pytest.fixture
def work_service(ghent):
    return Service.objects.create(
        organisation=ghent, name="Begeleiding naar werk", life_domains=["work_education"]
    )


@pytest.fixture
def duo(lead, partner, caw, ghent):
    """A trajectory of VDAB Aalst with a CAW partner in the duo; the person consents to share
    work with the CAW (the partner's view) and with VDAB Gent (the referral)."""
    person = make_person(lead, first_name="Karim", last_name="Werkzoeker")
    trajectory = tservices.trajectory_start(
        acting_user=lead,
        person=person,
        type="w2",
        reason="Aangemeld",
        status="active",
        start_date=TODAY - dt.timedelta(days=100),
    )
    for organisation in (caw, ghent):
        consent_give(
            acting_user=lead,
            person=person,
            domains=["work_education", "housing"],
            purpose="Begeleiding",
            evidence="signed_form",
            recipient_organisation=organisation,
            given_on=TODAY - dt.timedelta(days=90),
        )
    tservices.trajectory_set_welfare_partner(
        acting_user=lead, trajectory=trajectory, partner=partner
    )
    goal = plan_services.goal_create(
        acting_user=lead, trajectory=trajectory, domain="work_education", description="Een job"
    )
    action = plan_services.action_create(
        acting_user=lead, goal=goal, description="Naar de werkwinkel", owner="client"
    )
    return trajectory, action


def _send(partner, duo, service, urgency=Urgency.URGENT):
    return referral_send(
        acting_user=partner, action=duo[1], service=service, question=QUESTION, urgency=urgency
    )


def _item(referral):
    return Intake.objects.get(source=IntakeSource.REFERRAL, source_ref=str(referral.public_id))


def test_a_referral_to_a_vdab_office_waits_in_its_queue_with_note_urgency_and_days(
    partner, duo, work_service, ghent, ghent_mediator
):
    referral = _send(partner, duo, work_service)
    item = _item(referral)
    assert (item.office, item.person, item.sender) == (ghent, duo[0].person, partner)
    assert item.sender_organisation == partner.organisation
    assert (item.note, item.urgency, item.status) == (QUESTION, Urgency.URGENT, IS.WAITING)
    # The office now works with the person, so its mediators find them (as after any referral
    # to an office).
    assert PersonAssignment.objects.filter(person=duo[0].person, organisation=ghent).exists()
    queue = selectors.annotate_waiting(selectors.queue_for(ghent_mediator))
    assert [i.pk for i in queue] == [item.pk]
    assert queue[0].waiting_days == 0 and not queue[0].flagged


def test_a_referral_to_another_kind_of_organisation_has_no_queue_item(partner, duo, vdab):
    ocmw = OrganisationFactory(name="OCMW Gent", code="ocmw-g-i", kind=OrganisationKind.OCMW)
    consent_give(
        acting_user=duo[0].lead_mediator,
        person=duo[0].person,
        domains=["work_education"],
        purpose="Begeleiding",
        evidence="signed_form",
        recipient_organisation=ocmw,
        given_on=TODAY - dt.timedelta(days=5),
    )
    service = Service.objects.create(organisation=ocmw, name="Activering", life_domains=[])
    _send(partner, duo, service)
    assert not Intake.objects.exists()


def test_urgency_orders_the_queue_normal_after_urgent(
    partner, duo, work_service, ghent_mediator, lead
):
    first = _send(partner, duo, work_service, urgency=Urgency.NORMAL)
    goal = plan_services.goal_create(
        acting_user=lead, trajectory=duo[0], domain="work_education", description="Opleiding"
    )
    action = plan_services.action_create(
        acting_user=lead, goal=goal, description="Opleiding heftruck", owner="client"
    )
    second = referral_send(
        acting_user=partner,
        action=action,
        service=work_service,
        question="Dringend",
        urgency=Urgency.URGENT,
    )
    assert [i.source_ref for i in selectors.queue_for(ghent_mediator)] == [
        str(second.public_id),
        str(first.public_id),
    ]


# --- the table: who acts, how, and where both end ------------------------------------------


def _take(ctx):
    services.intake_take(acting_user=ctx["ghent_mediator"], intake=ctx["item"])


def _take_for_colleague(ctx):
    services.intake_take(
        acting_user=ctx["ghent_mediator"], intake=ctx["item"], assignee=ctx["ghent_colleague"]
    )


def _send_back(ctx):
    services.intake_send_back(
        acting_user=ctx["ghent_mediator"], intake=ctx["item"], reason="Woont in Aalst."
    )


def _inbox(to_status, who="ghent_mediator", **kw):
    def act(ctx):
        referral_transition(
            acting_user=ctx[who], referral=ctx["referral"], to_status=to_status, **kw
        )

    return act


def _forward(ctx):
    services.intake_forward(
        acting_user=ctx["ghent_mediator"], intake=ctx["item"], office=ctx["aalst"], reason="x"
    )


CASES = [
    # (what happens, referral status after, item status after, assignee, reason on both, refused)
    ("take in the queue", _take, S.ACCEPTED, IS.TAKEN, "ghent_mediator", "", None),
    (
        "take for a colleague",
        _take_for_colleague,
        S.ACCEPTED,
        IS.TAKEN,
        "ghent_colleague",
        "",
        None,
    ),
    ("send back in the queue", _send_back, S.DECLINED, IS.SENT_BACK, None, "Woont in Aalst.", None),
    ("accept in the inbox", _inbox(S.ACCEPTED), S.ACCEPTED, IS.TAKEN, "ghent_mediator", "", None),
    (
        "decline in the inbox",
        _inbox(S.DECLINED, reason="Geen aanbod."),
        S.DECLINED,
        IS.SENT_BACK,
        None,
        "Geen aanbod.",
        None,
    ),
    (
        "no capacity in the inbox",
        _inbox(S.NO_CAPACITY, reason="Wachtlijst."),
        S.NO_CAPACITY,
        IS.SENT_BACK,
        None,
        "Wachtlijst.",
        None,
    ),
    (
        "the sender withdraws",
        _inbox(S.WITHDRAWN, who="partner", reason="Verhuisd."),
        S.WITHDRAWN,
        IS.WITHDRAWN,
        None,
        "Verhuisd.",
        None,
    ),
    # Refused: nothing moves.
    ("forward in the queue", _forward, S.SENT, IS.WAITING, None, "", ValidationError),
    (
        "accept in the inbox by someone who is no mediator of the office",
        _inbox(S.ACCEPTED, who="ghent_outreach"),
        S.SENT,
        IS.WAITING,
        None,
        "",
        ValidationError,
    ),
    (
        "take in another office's queue",
        lambda ctx: services.intake_take(acting_user=ctx["lead"], intake=ctx["item"]),
        S.SENT,
        IS.WAITING,
        None,
        "",
        Exception,
    ),
]


@pytest.mark.parametrize(
    ("what", "act", "referral_after", "item_after", "assignee", "reason", "refused"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_the_referral_and_its_queue_item_move_together(
    what,
    act,
    referral_after,
    item_after,
    assignee,
    reason,
    refused,
    partner,
    lead,
    duo,
    work_service,
    aalst,
    ghent_mediator,
    ghent_colleague,
    ghent_outreach,
):
    referral = _send(partner, duo, work_service)
    ctx = {
        "referral": referral,
        "item": _item(referral),
        "partner": partner,
        "lead": lead,
        "aalst": aalst,
        "ghent_mediator": ghent_mediator,
        "ghent_colleague": ghent_colleague,
        "ghent_outreach": ghent_outreach,
    }
    if refused:
        with pytest.raises(refused):
            act(ctx)
    else:
        act(ctx)
    referral.refresh_from_db()
    item = _item(referral)
    assert (referral.status, item.status) == (referral_after, item_after)
    assert item.assignee == (ctx[assignee] if assignee else None)
    if item_after != IS.WAITING:
        assert item.reason == reason
        if referral_after in (S.DECLINED, S.NO_CAPACITY, S.WITHDRAWN):
            assert referral.reason == reason
        assert list(selectors.queue_for(ghent_mediator)) == []
    else:
        assert [i.pk for i in selectors.queue_for(ghent_mediator)] == [item.pk]


def test_the_sender_hears_once_that_the_office_took_it_and_for_whom(
    partner, lead, duo, work_service, ghent_mediator, ghent_colleague
):
    referral = _send(partner, duo, work_service)
    services.intake_take(
        acting_user=ghent_mediator, intake=_item(referral), assignee=ghent_colleague
    )
    # The referral's answer notifies the sender and the duo; no second "intake taken".
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [("aalst_lead", "referral.answered"), ("caw_partner", "referral.answered")]
    last = referral.status_changes.order_by("at", "pk").last()
    assert last.to_status == S.ACCEPTED
    assert ghent_colleague.get_full_name() in last.note


def test_a_later_answer_leaves_the_taken_item_as_it_was(partner, duo, work_service, ghent_mediator):
    referral = _send(partner, duo, work_service)
    services.intake_take(acting_user=ghent_mediator, intake=_item(referral))
    referral_transition(acting_user=ghent_mediator, referral=referral, to_status=S.IN_PROGRESS)
    referral_transition(
        acting_user=ghent_mediator, referral=referral, to_status=S.COMPLETED, outcome="Aan de slag"
    )
    assert _item(referral).status == IS.TAKEN


def test_the_withdrawn_status_in_the_state_machine():
    """Only a waiting item is withdrawn, and a withdrawn one is an end."""
    assert INTAKE.allows(IS.WAITING, IS.WITHDRAWN)
    assert [s for s in IS.values if INTAKE.allows(s, IS.WITHDRAWN)] == [IS.WAITING]
    assert not any(INTAKE.allows(IS.WITHDRAWN, s) for s in IS.values)
    with pytest.raises(TransitionNotAllowed):
        INTAKE.check(IS.WITHDRAWN, IS.TAKEN)


def test_take_refused_for_someone_outside_the_office(partner, duo, work_service, lead):
    referral = _send(partner, duo, work_service)
    with pytest.raises(PermissionDenied):
        services.intake_take(acting_user=partner, intake=_item(referral))


# --- the pages -------------------------------------------------------------------------------


def test_the_queue_page_links_the_referral_and_offers_no_forward(
    client, partner, duo, work_service, ghent_mediator
):
    referral = _send(partner, duo, work_service)
    item = _item(referral)
    client.force_login(ghent_mediator)
    body = client.get(reverse("registry:intake_queue")).content.decode()
    assert QUESTION in body
    assert reverse("network:referral_detail", args=[referral.public_id]) in body
    prefix = f"i{item.public_id.hex[:12]}"
    assert f'name="{prefix}-decision" value="take"' in body
    assert f'name="{prefix}-decision" value="forward"' not in body
    assert f'name="{prefix}-office"' not in body


def test_taking_on_the_queue_page_accepts_and_the_sender_sees_accepted(
    client, partner, duo, work_service, ghent_mediator
):
    referral = _send(partner, duo, work_service)
    item = _item(referral)
    client.force_login(ghent_mediator)
    prefix = f"i{item.public_id.hex[:12]}"
    response = client.post(
        reverse("registry:intake_decide", args=[item.public_id]), {f"{prefix}-decision": "take"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    client.force_login(partner)
    detail = client.get(reverse("network:referral_detail", args=[referral.public_id]))
    assert detail.status_code == 200
    assert "Aanvaard" in detail.content.decode()  # "Accepted", in the interface's language


def test_sending_back_on_the_queue_page_needs_a_reason(
    client, partner, duo, work_service, ghent_mediator
):
    referral = _send(partner, duo, work_service)
    item = _item(referral)
    client.force_login(ghent_mediator)
    prefix = f"i{item.public_id.hex[:12]}"
    url = reverse("registry:intake_decide", args=[item.public_id])
    assert client.post(url, {f"{prefix}-decision": "send_back"}).status_code == 400
    referral.refresh_from_db()
    assert (referral.status, _item(referral).status) == (S.SENT, IS.WAITING)
    response = client.post(
        url, {f"{prefix}-decision": "send_back", f"{prefix}-reason": "Woont in Aalst."}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == (S.DECLINED, "Woont in Aalst.")


def test_the_referral_form_offers_the_office_service_and_urgency(
    client, partner, duo, work_service
):
    trajectory, action = duo
    client.force_login(partner)
    url = reverse("network:referral_send", args=[trajectory.public_id, action.pk])
    body = client.get(url).content.decode()
    assert "Begeleiding naar werk — VDAB Gent" in body
    assert 'name="urgent"' in body
    response = client.post(
        url, {"service": str(work_service.pk), "question": QUESTION, "urgent": "on"}
    )
    assert response.status_code == 302
    item = Intake.objects.get(source=IntakeSource.REFERRAL)
    assert (item.urgency, item.note) == (Urgency.URGENT, QUESTION)
    assert Referral.objects.get().status == S.SENT


def test_the_queue_page_stays_within_its_queries(
    client, partner, lead, duo, work_service, ghent_mediator
):
    client.force_login(ghent_mediator)
    _send(partner, duo, work_service)
    url = reverse("registry:intake_queue")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    goal = plan_services.goal_create(
        acting_user=lead, trajectory=duo[0], domain="work_education", description="Opleiding"
    )
    for n in range(3):
        action = plan_services.action_create(
            acting_user=lead, goal=goal, description=f"Stap {n}", owner="client"
        )
        referral_send(acting_user=partner, action=action, service=work_service, question="Vraag")
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)
