"""The capability catalogue: what each role may do, decided once.

A capability is a coarse "may this user ever do X": the gate a view passes first
(``capability_required``), the test a service makes before it acts (``has_capability``) and
the condition under which a template offers a link or a button (``user|can:"…"``, from the
``capability_tags`` library). The object at hand is decided elsewhere: which persons and
trajectories a user sees and may change is the scoping layer's job (``tandem.access.scope``).

Every capability maps to its roles here and nowhere else: no module keeps a set of roles of
its own (``tests/test_capabilities.py`` reads the source for one).

This module imports only ``tandem.accounts.models``.
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import Role

MEDIATOR = Role.MEDIATOR
WELFARE_PARTNER = Role.WELFARE_PARTNER
GROUP_COACH = Role.GROUP_COACH
OUTREACH_WORKER = Role.OUTREACH_WORKER
EXPERIENCE_EXPERT = Role.EXPERIENCE_EXPERT
JOB_COACH = Role.JOB_COACH
SERVICE_LINE = Role.SERVICE_LINE
PROGRAMME_MANAGER = Role.PROGRAMME_MANAGER
ADMIN = Role.ADMIN
DPO = Role.DATA_PROTECTION_OFFICER

# The roles that open person files. Programme managers see aggregates only and administrators
# manage users and reference data: neither ever opens a person's file. Group coaches work with
# individual people too, but only through group work (``tandem.groupwork``), which shows what
# the group needs and never the file.
_PERSON_FILE = (
    MEDIATOR,
    WELFARE_PARTNER,
    OUTREACH_WORKER,
    EXPERIENCE_EXPERT,
    JOB_COACH,
    SERVICE_LINE,
)
# The duo that runs a trajectory.
_DUO = (MEDIATOR, WELFARE_PARTNER)

CAPABILITIES: dict[str, frozenset[str]] = {
    # --- persons (registry) ---
    # Open person files: search, the file, its trajectories, screenings and consents.
    "person.read": frozenset(_PERSON_FILE),
    # Register people and change their basic data and household.
    "person.register": frozenset({MEDIATOR, WELFARE_PARTNER, OUTREACH_WORKER, SERVICE_LINE}),
    # --- screening ---
    "screening.conduct": frozenset({SERVICE_LINE, MEDIATOR, OUTREACH_WORKER}),
    "screening.choose_route": frozenset({MEDIATOR}),
    # --- the intake queue of a VDAB office (registry.intake) ---
    # Take a person referred to the office (for oneself or a colleague), send back, forward.
    "intake.queue": frozenset({MEDIATOR}),
    # See one's own referrals to an office and whether the office took them.
    "intake.sent": frozenset({SERVICE_LINE, OUTREACH_WORKER}),
    # --- consent (network) ---
    # Record and withdraw a person's consent to share life domains.
    "consent.record": frozenset({MEDIATOR, SERVICE_LINE, OUTREACH_WORKER}),
    # --- trajectories ---
    "trajectory.start": frozenset({MEDIATOR}),
    # Lead a trajectory: be its lead mediator (a hand-over goes to such a user).
    "trajectory.lead": frozenset({MEDIATOR}),
    # Be the welfare partner of a trajectory's duo.
    "trajectory.partner": frozenset({WELFARE_PARTNER}),
    # Correct a trajectory's start or end date (with a reason, audited).
    "trajectory.correct_dates": frozenset({MEDIATOR}),
    # Change a trajectory (plan, contacts, status, the POP); others may only read it. The
    # services decide per trajectory (the duo, the organisation).
    "trajectory.write": frozenset(_DUO),
    # The caseload: every open trajectory of the user (or their office).
    "trajectory.caseload": frozenset(_DUO),
    # The caseload page: the duo's trajectories (``trajectory.caseload``), a job coach's own
    # coachings (issue 18: the people they coach, not a 403).
    "caseload.view": frozenset({*_DUO, JOB_COACH}),
    # The agenda (issue 18): the week's planned contacts of one's duo trajectories and the group
    # sessions one coaches, and the printed day list. Job coaches' coaching contacts have no
    # time yet, so they have none.
    "agenda.view": frozenset({*_DUO, GROUP_COACH}),
    # Ask an experience expert to support a person: the mediator from the trajectory, the group
    # coach (groupwork.request_expert) for a participant of their group. Source 003, answer to
    # question 1: experience experts support "op vraag van bemiddelaars of instructeurs".
    "trajectory.request_expert": frozenset({MEDIATOR}),
    # An experience expert accepts or declines a request and logs what they did.
    "trajectory.respond_as_expert": frozenset({EXPERIENCE_EXPERT}),
    # --- job coaching (work after the trajectory) ---
    "jobcoaching.record_job": frozenset(_DUO),
    # Contacts and retention checks: also the job coach of the coaching.
    "jobcoaching.follow_up": frozenset({*_DUO, JOB_COACH}),
    # Who may be the job coach of a coaching: a job coach, or the mediator who coaches at the
    # workplace (tested on the coach, not on the acting user).
    "jobcoaching.coach": frozenset({JOB_COACH, MEDIATOR}),
    "employer.create": frozenset({*_DUO, JOB_COACH}),
    # --- referrals and the services directory (network) ---
    "referral.send": frozenset(_DUO),
    # The receiving organisation's staff who open person files see its inbox.
    "referral.receive": frozenset(_PERSON_FILE),
    # Send a referral even though the receiving service is full or closed.
    "referral.override": frozenset({MEDIATOR}),
    "referral.view_figures": frozenset({PROGRAMME_MANAGER, *_DUO, SERVICE_LINE}),
    # The organisation's own staff who keep its directory entries up to date.
    "directory.maintain": frozenset({*_DUO, GROUP_COACH, OUTREACH_WORKER}),
    # Maintain the directory entries of every organisation.
    "directory.maintain_all": frozenset({ADMIN}),
    # --- outreach ---
    # Log contacts, follow the people met and convert them into registered persons.
    "outreach.contact": frozenset({OUTREACH_WORKER}),
    "outreach.places": frozenset({OUTREACH_WORKER, ADMIN}),
    "outreach.funnel": frozenset({OUTREACH_WORKER, PROGRAMME_MANAGER}),
    # --- group work ---
    # Set programmes up (who runs them, where, the coaches).
    "groupwork.manage_programmes": frozenset({PROGRAMME_MANAGER, ADMIN}),
    "groupwork.view_catalogue": frozenset({*_DUO, GROUP_COACH, PROGRAMME_MANAGER, ADMIN}),
    # Plan modules, intake moments and sessions (the selectors decide per programme).
    "groupwork.plan": frozenset({GROUP_COACH, PROGRAMME_MANAGER}),
    # Run groups: requests, waiting lists, attendance, observations.
    "groupwork.coach": frozenset({GROUP_COACH}),
    # Enrol a person of one's trajectory, acknowledge a drop-out, adopt POP input.
    "groupwork.enrol": frozenset({MEDIATOR}),
    # See an enrolment (and its network maps); the selectors decide for the enrolment at hand.
    "groupwork.view_enrolment": frozenset({GROUP_COACH, *_DUO}),
    # See group work through a trajectory (the trajectory page, the enrolment page).
    "groupwork.view_via_trajectory": frozenset(_DUO),
    "groupwork.record_leave": frozenset({GROUP_COACH, MEDIATOR}),
    # Ask an experience expert for a participant of one's group (source 003, answer to question
    # 1: "op vraag van bemiddelaars of instructeurs"); the selectors decide per programme.
    "groupwork.request_expert": frozenset({GROUP_COACH}),
    "groupwork.view_figures": frozenset({PROGRAMME_MANAGER, GROUP_COACH}),
    # --- programme reporting ---
    # Calls, projects, indicators, outcomes and data quality: aggregates over the programme.
    "report.view_aggregates": frozenset({PROGRAMME_MANAGER, ADMIN}),
    # --- audit and data protection ---
    # "Who looked at this file".
    "audit.view_person_access": frozenset({MEDIATOR, DPO}),
    "audit.export_subject_access": frozenset({MEDIATOR, DPO}),
    # The access log and audit events of the organisation's persons; erasure on request.
    "audit.view_access_log": frozenset({DPO}),
    # The register of data-subject requests (GDPR art. 12-21) of the DPO's organisation.
    "privacy.requests": frozenset({DPO}),
    # Follow the whole programme: plan every group-work programme and see the figures of all,
    # the outreach funnel of every team (small counts hidden); the menu leads to calls and
    # projects, outcomes and the funnel.
    "programme.oversee": frozenset({PROGRAMME_MANAGER}),
    # --- what the menu offers (the pages themselves are gated by the capabilities above) ---
    # The group-work catalogue (a group coach's menu leads to their requests instead).
    "menu.group_work_catalogue": frozenset({MEDIATOR, PROGRAMME_MANAGER}),
    # --- what the home page offers (tandem.home.panels) ---
    # A panel per kind of work; the other panels follow a capability above (the mediator's
    # trajectory.lead, the group coach's groupwork.coach, ...). These three have none of their
    # own: the job coach's work at the workplace, the service line's first call, and the
    # administrator's figures of organisations and roles.
    "home.job_coach_panel": frozenset({JOB_COACH}),
    "home.service_line_panel": frozenset({SERVICE_LINE}),
    "home.admin_panel": frozenset({ADMIN}),
}

# Capabilities whose work is scoped by the user's organisation: a user holding one of their
# roles sees, registers or is given people through it (the group coach the groups of the
# organisation's projects, the data-protection officer the access log of the organisation's
# persons), so must belong to an organisation: without one, every list is empty and registering
# a person is refused. Programme managers (aggregates over the programme) and administrators
# (users and reference data) need not; nor does a superuser without roles.
ORGANISATION_SCOPED = ("person.read", "groupwork.coach", "audit.view_access_log")


def roles_for(capability: str) -> frozenset[str]:
    """The roles that hold ``capability``; an unknown name is a programming error."""
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}") from None


def organisation_roles() -> frozenset[str]:
    """The roles a user may only hold while belonging to an organisation."""
    return frozenset().union(*(roles_for(cap) for cap in ORGANISATION_SCOPED))


# Separation of duties (ASVS V8): the roles that read case content — person files, and group
# work's participants — are never held together with the administrator's, who manages the users
# and their rights (``tandem.accounts.services.separation_of_duties_check``).
CASE_CONTENT = ("person.read", "groupwork.coach")


def case_roles() -> frozenset[str]:
    """The roles that read case content: never held together with the administrator role."""
    return frozenset().union(*(roles_for(cap) for cap in CASE_CONTENT))


def role_has(role: str, capability: str) -> bool:
    """Whether ``role`` holds ``capability`` (for a role code, e.g. of another user)."""
    return role in roles_for(capability)


def roles_have(roles: Any, capability: str) -> bool:
    """Whether any of the role codes ``roles`` holds ``capability``."""
    return not roles_for(capability).isdisjoint(roles)


def has_capability(user: Any, capability: str) -> bool:
    """Whether ``user`` (a ``User``, or an anonymous user: never) holds ``capability``."""
    allowed = roles_for(capability)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not allowed.isdisjoint(user.role_codes)
