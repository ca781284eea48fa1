"""The POP has consequences (issue 17): a signed-off POP whose perspective is work-care or
"work not feasible now" in a W² trajectory prompts the duo to re-route or to write why not; a
"not feasible" POP has no job target.

The rules are tables of cases from the sources:

- source 003 (answer to question 1): W² trajectories are "voor mensen die geen uitgesproken
  medische, mentale, psychische of psychiatrische problematiek hebben, die beschikken over
  voldoende arbeidsmotivatie en waarvan verwacht wordt dat ze in minder dan twee jaar kunnen
  doorstromen naar een opleiding en/of tewerkstelling";
- source 004 (evaluation of the previous tender): "Het POP-verslag moest volgende zaken
  bevatten: jobdoelwit, participatie ifv werk (NEC, SEC, LDE, arbeidszorg of werk niet
  haalbaar) en een actieplan".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.trajectories.models import Perspective, PopReport, RerouteJustification, Status
from tandem.trajectories.pop import panels as pop_panels
from tandem.trajectories.pop.rules import job_target_allowed, pop_calls_for_rerouting
from tandem.trajectories.pop.services import (
    pop_draft,
    pop_reroute_justify,
    pop_sign_off,
    pop_update,
)
from tandem.trajectories.services import (
    trajectory_set_welfare_partner,
    trajectory_start,
    trajectory_transition,
)
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
P = Perspective

# --- the rule: does this POP call for re-routing? -------------------------------------------

# (trajectory type, perspective, signed off) → calls for re-routing, source and why.
REROUTE_CASES = [
    ("w2", P.WORK_CARE, True, True, "003 q1 + 004: arbeidszorg is no move to work in 2 years"),
    ("w2", P.NOT_FEASIBLE, True, True, "003 q1 + 004: 'werk niet haalbaar' is no move in 2 years"),
    ("w2", P.NEC, True, False, "003 q1: the regular labour market is the W² aim"),
    ("w2", P.SOCIAL_ECONOMY, True, False, "004: SEC is a perspective of work"),
    ("w2", P.LDE, True, False, "004: LDE is a perspective of work"),
    ("w2", P.WORK_CARE, False, False, "004: a draft is not yet the POP agreed with the person"),
    ("w2", P.NOT_FEASIBLE, False, False, "004: a draft is not yet the POP agreed"),
    ("work_care", P.WORK_CARE, True, False, "003 q1: already in the work-and-care route"),
    ("work_care", P.NOT_FEASIBLE, True, False, "003 q1: the two-year criterion is W²'s only"),
    ("regular", P.NOT_FEASIBLE, True, False, "003 q1: the two-year criterion is W²'s only"),
    ("youth", P.WORK_CARE, True, False, "003 q1: the two-year criterion is W²'s only"),
]


@pytest.mark.parametrize(("type_", "perspective", "signed", "expected", "source"), REROUTE_CASES)
def test_which_pops_call_for_rerouting(type_, perspective, signed, expected, source):
    answer = pop_calls_for_rerouting(
        trajectory_type=type_, perspective=perspective, signed_off=signed
    )
    assert bool(answer) is expected, source
    assert answer.reason  # the page can say why


# A job start overtakes the POP: the trajectory is in job coaching (DOMAIN.md §2.6, source 003
# answer 1: job coaching after the job start), so nothing is re-routed.
@pytest.mark.parametrize("perspective", [P.WORK_CARE, P.NOT_FEASIBLE])
def test_a_job_start_overtakes_the_pop(perspective):
    answer = pop_calls_for_rerouting(
        trajectory_type="w2", perspective=perspective, signed_off=True, in_work=True
    )
    assert not answer
    assert (
        answer.reason
        and answer.reason
        != pop_calls_for_rerouting(
            trajectory_type="w2", perspective=perspective, signed_off=True
        ).reason
    )  # the page says the job overtook it


# (perspective, job target) → allowed, source.
JOB_TARGET_CASES = [
    (P.NOT_FEASIBLE, "Magazijnier", False, "004: work not feasible now has no job target"),
    (P.NOT_FEASIBLE, "   ", True, "004: an empty job target fits 'werk niet haalbaar'"),
    (P.NOT_FEASIBLE, "", True, "004"),
    (P.WORK_CARE, "Atelier houtbewerking", True, "004: arbeidszorg may aim at an activity"),
    (P.NEC, "Magazijnier", True, "004: jobdoelwit with NEC"),
    (P.LDE, "", True, "004: the job target may be left open"),
]


@pytest.mark.parametrize(("perspective", "target", "expected", "source"), JOB_TARGET_CASES)
def test_a_job_target_on_a_not_feasible_pop(perspective, target, expected, source):
    answer = job_target_allowed(perspective=perspective, job_target=target)
    assert bool(answer) is expected, source


# --- set-up ---------------------------------------------------------------------------------


def _w2(mediator, type_="w2"):
    return trajectory_start(
        acting_user=mediator,
        person=make_person(mediator),
        type=type_,
        reason="test",
        status="active",
    )


def _signed(user, trajectory, perspective, job_target="", on=TODAY):
    latest = trajectory.pops.order_by("-version").first()
    values = {"job_target": job_target, "perspective": perspective}
    if latest is not None and latest.signed_off_on is None:
        pop = pop_update(acting_user=user, pop=latest, work_plan="", welfare_plan="", **values)
    else:
        pop = pop_draft(acting_user=user, trajectory=trajectory, **values)
    return pop_sign_off(acting_user=user, pop=pop, on=on)


def _duo(mediator, trajectory, partner):
    from tandem.network.consent.services import consent_give

    trajectory_set_welfare_partner(acting_user=mediator, trajectory=trajectory, partner=partner)
    consent_give(
        acting_user=mediator,
        person=trajectory.person,
        domains=["income", "housing", "work_education"],
        purpose="Duo",
        evidence="signed_form",
        recipient_organisation=partner.organisation,
    )
    trajectory.refresh_from_db()


def _prompt(user, trajectory):
    return pop_panels.panel_context(user, trajectory)["reroute_prompt"]


# --- the job target on a "not feasible" POP is refused --------------------------------------


def test_a_not_feasible_pop_with_a_job_target_is_refused_naming_the_field(mediator):
    trajectory = _w2(mediator)
    with pytest.raises(ValidationError) as exc:
        pop_draft(
            acting_user=mediator,
            trajectory=trajectory,
            job_target="Magazijnier",
            perspective=P.NOT_FEASIBLE,
        )
    assert list(exc.value.error_dict) == ["job_target"]
    assert not trajectory.pops.exists()

    pop = pop_draft(acting_user=mediator, trajectory=trajectory, perspective=P.NOT_FEASIBLE)
    with pytest.raises(ValidationError) as exc:
        pop_update(
            acting_user=mediator,
            pop=pop,
            job_target="Keukenhulp",
            perspective=P.NOT_FEASIBLE,
            work_plan="",
            welfare_plan="",
        )
    assert list(exc.value.error_dict) == ["job_target"]
    assert PopReport.objects.get(pk=pop.pk).job_target == ""
    # A new version that keeps a job target but turns to "not feasible" is refused too.
    pop_update(
        acting_user=mediator,
        pop=pop,
        job_target="Keukenhulp",
        perspective=P.NEC,
        work_plan="",
        welfare_plan="",
    )
    pop_sign_off(acting_user=mediator, pop=pop, on=TODAY)
    with pytest.raises(ValidationError) as exc:
        pop_draft(acting_user=mediator, trajectory=trajectory, perspective=P.NOT_FEASIBLE)
    assert "job_target" in exc.value.error_dict


def test_the_pop_form_shows_the_refusal_on_the_job_target(mediator, mediator_client):
    trajectory = _w2(mediator)
    url = reverse("trajectories:pop_edit", kwargs={"public_id": trajectory.public_id})
    response = mediator_client.post(
        url,
        {
            "job_target": "Magazijnier",
            "perspective": P.NOT_FEASIBLE,
            "work_plan": "",
            "welfare_plan": "",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["job_target"]
    assert not trajectory.pops.exists()


# --- the justification: service -------------------------------------------------------------


def test_the_duo_writes_why_the_w2_continues_and_it_is_audited(mediator, partner):
    trajectory = _w2(mediator)
    _duo(mediator, trajectory, partner)
    pop = _signed(mediator, trajectory, P.WORK_CARE)
    assert _prompt(mediator, trajectory) is not None

    reason = "Start in september een opleiding keukenhulp; binnen twee jaar haalbaar."
    justification = pop_reroute_justify(acting_user=partner, pop=pop, reason=f"  {reason} ")
    assert justification.reason == reason
    assert (justification.written_by, justification.written_on) == (partner, TODAY)
    event = AuditEvent.objects.get(event_type="pop.reroute_justified")
    assert event.person == trajectory.person
    assert event.actor == partner
    assert event.data["version"] == pop.version
    assert event.data["reason_given"] is True
    assert "opleiding" not in str(event.data)  # case content stays out of the audit trail
    trajectory.refresh_from_db()
    assert _prompt(mediator, trajectory) is None
    assert _prompt(partner, trajectory) is None


def test_the_justification_is_refused_when_it_has_no_place(mediator, other_mediator):
    trajectory = _w2(mediator)
    nec = _signed(mediator, trajectory, P.NEC, job_target="Magazijnier")
    with pytest.raises(ValidationError) as exc:
        pop_reroute_justify(acting_user=mediator, pop=nec, reason="Waarom niet")
    assert exc.value.code == "not_called_for"

    draft = pop_draft(acting_user=mediator, trajectory=trajectory, perspective=P.WORK_CARE)
    with pytest.raises(ValidationError) as exc:
        pop_reroute_justify(acting_user=mediator, pop=draft, reason="Waarom niet")
    assert exc.value.code == "not_called_for"

    pop = pop_sign_off(acting_user=mediator, pop=draft, on=TODAY)
    with pytest.raises(ValidationError) as exc:
        pop_reroute_justify(acting_user=mediator, pop=pop, reason="   ")
    assert list(exc.value.error_dict) == ["reason"]

    # Not the duo: another organisation, or a colleague of the office covering for the lead.
    colleague = make_user("mediator", organisation=mediator.organisation, username="colleague")
    for outsider in (other_mediator, colleague):
        with pytest.raises(PermissionDenied):
            pop_reroute_justify(acting_user=outsider, pop=pop, reason="Toch W²")

    pop_reroute_justify(acting_user=mediator, pop=pop, reason="Toch W²")
    with pytest.raises(ValidationError) as exc:
        pop_reroute_justify(acting_user=mediator, pop=pop, reason="Nog eens")
    assert exc.value.code == "answered"
    assert RerouteJustification.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="pop.reroute_justified").count() == 1


def test_an_older_version_is_not_answered_once_a_newer_one_is_signed_off(mediator):
    trajectory = _w2(mediator)
    first = _signed(mediator, trajectory, P.WORK_CARE, on=TODAY - dt.timedelta(days=10))
    second = _signed(mediator, trajectory, P.NOT_FEASIBLE)
    with pytest.raises(ValidationError) as exc:
        pop_reroute_justify(acting_user=mediator, pop=first, reason="Toch W²")
    assert exc.value.code == "superseded"
    assert pop_reroute_justify(acting_user=mediator, pop=second, reason="Toch W²")


# --- the prompt: when it shows and when it goes ---------------------------------------------


def test_the_prompt_stays_until_answered_and_follows_the_latest_signed_off_version(mediator):
    trajectory = _w2(mediator)
    assert _prompt(mediator, trajectory) is None  # no POP
    draft = pop_draft(acting_user=mediator, trajectory=trajectory, perspective=P.NOT_FEASIBLE)
    assert _prompt(mediator, trajectory) is None  # a draft only
    first = pop_sign_off(acting_user=mediator, pop=draft, on=TODAY)
    assert _prompt(mediator, trajectory).pop == first
    # A new draft does not answer it: the signed-off version still stands.
    pop_draft(acting_user=mediator, trajectory=trajectory, perspective=P.NEC)
    assert _prompt(mediator, trajectory).pop == first
    # Once the next version is signed off with a perspective of work, it is gone.
    _signed(mediator, trajectory, P.NEC, job_target="Magazijnier")
    assert _prompt(mediator, trajectory) is None
    # An answer holds for its version: a later "work-care" version asks again.
    third = _signed(mediator, trajectory, P.WORK_CARE)
    assert _prompt(mediator, trajectory).pop == third


def test_rerouting_answers_the_prompt(mediator):
    """Re-routing uses what the trajectories app has: start the work-and-care trajectory,
    then close the W² one ("moved to a work-and-care trajectory")."""
    trajectory = _w2(mediator)
    _signed(mediator, trajectory, P.WORK_CARE)
    assert _prompt(mediator, trajectory) is not None
    care = trajectory_start(
        acting_user=mediator,
        person=trajectory.person,
        type="work_care",
        reason="POP: arbeidszorg",
        status="active",
    )
    trajectory_transition(
        acting_user=mediator,
        trajectory=trajectory,
        to_status=Status.CLOSED,
        closure_reason="work_care",
    )
    trajectory.refresh_from_db()
    assert _prompt(mediator, trajectory) is None
    # The POP does not follow the person into the work-and-care trajectory: nothing to ask.
    assert _prompt(mediator, care) is None


def test_no_prompt_once_the_person_works(mediator):
    """Found on the demo: a POP of 2021 kept asking to re-route a person in work since 2022."""
    trajectory = _w2(mediator)
    _signed(mediator, trajectory, P.WORK_CARE)
    assert _prompt(mediator, trajectory) is not None
    from tandem.accounts.models import OrganisationKind
    from tandem.trajectories.jobcoaching.services import job_start_record
    from tandem.trajectories.models import ContractType
    from tests.factories import OrganisationFactory

    employer = OrganisationFactory(name="Bakkerij", code="bakkerij", kind=OrganisationKind.EMPLOYER)
    job_start_record(
        acting_user=mediator,
        trajectory=trajectory,
        employer=employer,
        started_on=TODAY,
        contract_type=ContractType.PERMANENT,
    )
    trajectory.refresh_from_db()
    assert trajectory.status == Status.EMPLOYED
    assert _prompt(mediator, trajectory) is None


def test_no_prompt_outside_w2(mediator):
    trajectory = _w2(mediator, type_="work_care")
    _signed(mediator, trajectory, P.WORK_CARE)
    assert _prompt(mediator, trajectory) is None


# --- the trajectory page, as each user sees it ----------------------------------------------


def _detail(trajectory):
    return reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})


def _justify_url(trajectory, version):
    return reverse(
        "trajectories:pop_reroute_justify",
        kwargs={"public_id": trajectory.public_id, "version": version},
    )


def test_the_page_prompts_the_lead_mediator_and_the_welfare_partner(client, mediator, partner):
    trajectory = _w2(mediator)
    _duo(mediator, trajectory, partner)
    pop = _signed(mediator, trajectory, P.NOT_FEASIBLE)
    start_url = reverse(
        "trajectories:trajectory_start", kwargs={"person_id": trajectory.person.public_id}
    )
    for user, may_start in ((mediator, True), (partner, False)):
        client.force_login(user)
        response = client.get(_detail(trajectory))
        assert response.status_code == 200, user
        html = response.content.decode()
        assert 'id="reroute-prompt"' in html, user
        assert _justify_url(trajectory, pop.version) in html
        assert 'id="reroute-close"' in html  # the duo may close the trajectory
        assert (start_url in html) is may_start  # only a mediator starts a trajectory


def test_the_welfare_partner_answers_on_the_page_and_the_prompt_goes(client, mediator, partner):
    trajectory = _w2(mediator)
    _duo(mediator, trajectory, partner)
    pop = _signed(mediator, trajectory, P.WORK_CARE)
    client.force_login(partner)
    response = client.post(_justify_url(trajectory, pop.version), {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["reroute_form"].errors
    assert 'id="reroute-prompt"' in response.content.decode()

    response = client.post(
        _justify_url(trajectory, pop.version), {"reason": "Opleiding start binnen het jaar."}
    )
    assert response.status_code == 302
    assert RerouteJustification.objects.get().written_by == partner
    for user in (partner, mediator):
        client.force_login(user)
        html = client.get(_detail(trajectory)).content.decode()
        assert 'id="reroute-prompt"' not in html


def test_others_do_not_see_or_answer_the_prompt(client, mediator, other_mediator, organisation):
    trajectory = _w2(mediator)
    pop = _signed(mediator, trajectory, P.WORK_CARE)
    client.force_login(other_mediator)
    assert client.get(_detail(trajectory)).status_code == 404
    response = client.post(_justify_url(trajectory, pop.version), {"reason": "Toch W²"})
    assert response.status_code == 404
    # A colleague of the office sees the trajectory, not the duo's prompt.
    colleague = make_user("mediator", organisation=organisation, username="colleague")
    client.force_login(colleague)
    response = client.get(_detail(trajectory))
    assert response.status_code == 200
    assert 'id="reroute-prompt"' not in response.content.decode()
    assert client.post(_justify_url(trajectory, pop.version), {"reason": "x"}).status_code == 403
    assert not RerouteJustification.objects.exists()


def test_the_panel_still_costs_one_query(mediator, django_assert_num_queries):
    trajectory = _w2(mediator)
    pop = _signed(mediator, trajectory, P.WORK_CARE)
    pop_reroute_justify(acting_user=mediator, pop=pop, reason="Toch W²")
    _signed(mediator, trajectory, P.NOT_FEASIBLE)
    mediator.role_codes  # noqa: B018 - cached by the request's first permission check
    with django_assert_num_queries(1):
        context = pop_panels.panel_context(mediator, trajectory)
    assert context["reroute_prompt"].pop.version == 2
