"""The trajectories' part of the subject-access export and of retention and erasure
(``tandem.privacy``): the trajectories with their status history, hand-overs and
responsibilities, the plan, contacts and notes (special-category notes too: it is the person's
own data), readings, POPs, job starts and job coaching, experience-expert support.

Retention erases the case content under the trajectories and keeps what outcome statistics
need: the trajectories' type, status history, dates and closure reason; job starts and retention
checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Case, CharField, Exists, Model, OuterRef, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import (
    ERASED,
    RetentionStep,
    StepResult,
    delete_rows,
    record,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .models import (
    Action,
    Assessment,
    CoachingContact,
    Contact,
    ContactStatusChange,
    DomainResponsibility,
    ExpertSupportLog,
    ExpertSupportRequest,
    Goal,
    JobCoaching,
    JobStart,
    LeadHandover,
    PopReport,
    Reading,
    RerouteJustification,
    RetentionCheck,
    StatusChange,
    Trajectory,
)

# --- the export ------------------------------------------------------------------------------


@register_export_section(
    "trajectories",
    _("Trajectories"),
    labels={
        "status_history": _("Status history"),
        "handovers": _("Hand-overs of the lead"),
        "responsibilities": _("Responsibilities per life domain"),
        "public_id": _("reference"),
    },
    order=300,
)
def _trajectories(person: Person) -> list[dict[str, Any]]:
    trajectories = (
        Trajectory.objects.filter(person=person)
        .select_related("organisation", "lead_mediator", "welfare_partner", "project")
        .prefetch_related(
            Prefetch("status_changes", StatusChange.objects.select_related("by")),
            Prefetch("handovers", LeadHandover.objects.select_related("from_user", "to_user")),
            "responsibilities",
        )
        .order_by("start_date", "pk")
    )
    out = []
    for t in trajectories:
        data: dict[str, Any] = {"public_id": t.public_id}
        data.update(
            record(
                t,
                [
                    "type",
                    "status",
                    "organisation",
                    "start_date",
                    "end_date",
                    "closure_reason",
                    "closure_note",
                    "lead_mediator",
                    "welfare_partner",
                    "project",
                    "start_reason",
                    "dates_correction_reason",
                ],
            )
        )
        data["status_history"] = [
            record(c, ["on", "from_status", "to_status", "by", "reason"])
            for c in t.status_changes.all()
        ]
        data["handovers"] = [
            record(h, ["at", "from_user", "to_user", "reason"]) for h in t.handovers.all()
        ]
        data["responsibilities"] = [record(r, ["domain", "side"]) for r in t.responsibilities.all()]
        out.append(data)
    return out


@register_export_section("plan", _("Plan"), labels={"actions": _("Actions")}, order=310)
def _plan(person: Person) -> list[dict[str, Any]]:
    goals = (
        Goal.objects.filter(trajectory__person=person)
        .select_related("trajectory", "created_by")
        .prefetch_related(Prefetch("actions", Action.objects.order_by("due_on", "pk")))
        .order_by("trajectory__start_date", "domain", "created_at", "pk")
    )
    return [
        {
            "trajectory": g.trajectory.public_id,
            **record(g, ["domain", "description", "created_by", "created_at"]),
            "actions": [
                record(
                    a,
                    ["description", "owner", "due_on", "status", "done_on", "dropped_reason"],
                )
                for a in g.actions.all()
            ],
        }
        for g in goals
    ]


@register_export_section("contacts", _("Contacts and notes"), order=320)
def _contacts(person: Person) -> list[dict[str, Any]]:
    # All of them, special-category notes too: this is the person's own data.
    contacts = (
        Contact.objects.filter(trajectory__person=person)
        .select_related("trajectory", "author")
        .prefetch_related(
            Prefetch("status_changes", ContactStatusChange.objects.select_related("by"))
        )
        .order_by("on", "at", "pk")
    )
    return [
        {
            "trajectory": c.trajectory.public_id,
            **record(
                c,
                [
                    "on",
                    "at",
                    "minutes",
                    "kind",
                    "status",
                    "place",
                    "purpose",
                    "domain",
                    "text",
                    "author",
                ],
            ),
            "status_history": [
                record(h, ["at", "from_status", "to_status", "by", "reason"])
                for h in c.status_changes.all()
            ],
        }
        for c in contacts
    ]


@register_export_section("readings", _("Readings"), labels={"readings": _("Readings")}, order=330)
def _readings(person: Person) -> list[dict[str, Any]]:
    assessments = (
        Assessment.objects.filter(trajectory__person=person)
        .select_related("trajectory", "scale", "by")
        .prefetch_related(Prefetch("readings", Reading.objects.order_by("domain")))
        .order_by("on", "pk")
    )
    return [
        {
            "trajectory": a.trajectory.public_id,
            **record(a, ["on", "scale", "agreed_with_client", "by", "note"]),
            "readings": [record(r, ["domain", "level"]) for r in a.readings.all()],
        }
        for a in assessments
    ]


@register_export_section(
    "pops",
    _("POP (personal development plan)"),
    labels={"reroute_justification": _("Why the W² trajectory continues")},
    order=340,
)
def _pops(person: Person) -> list[dict[str, Any]]:
    pops = (
        PopReport.objects.filter(trajectory__person=person)
        .select_related("trajectory", "drafted_by")
        .prefetch_related(
            Prefetch(
                "reroute_justification",
                RerouteJustification.objects.select_related("written_by"),
            )
        )
        .order_by("trajectory__start_date", "version")
    )
    return [
        {
            "trajectory": p.trajectory.public_id,
            **record(
                p,
                [
                    "version",
                    "job_target",
                    "perspective",
                    "work_plan",
                    "welfare_plan",
                    "drafted_by",
                    "created_at",
                    "signed_off_on",
                ],
            ),
            "reroute_justification": _justification(p),
        }
        for p in pops
    ]


def _justification(pop: PopReport) -> dict[str, Any] | None:
    try:
        justification = pop.reroute_justification
    except RerouteJustification.DoesNotExist:
        return None
    return record(justification, ["reason", "written_by", "written_on"])


@register_export_section(
    "job_coaching",
    _("Job starts and job coaching"),
    labels={
        "coaching": _("Job coaching"),
        "retention_checks": _("Retention checks"),
        "contacts": _("Coaching contacts"),
    },
    order=350,
)
def _job_coaching(person: Person) -> list[dict[str, Any]]:
    jobs = (
        JobStart.objects.filter(trajectory__person=person)
        .select_related("trajectory", "employer", "recorded_by")
        .prefetch_related(
            Prefetch("retention", RetentionCheck.objects.order_by("month")),
            Prefetch(
                "coaching",
                JobCoaching.objects.select_related("coach").prefetch_related(
                    Prefetch("contacts", CoachingContact.objects.order_by("on", "pk"))
                ),
            ),
        )
        .order_by("started_on", "pk")
    )
    out = []
    for job in jobs:
        data = {
            "trajectory": job.trajectory.public_id,
            **record(
                job,
                ["employer", "started_on", "contract_type", "job_title", "ended_on", "recorded_by"],
            ),
        }
        coaching = getattr(job, "coaching", None)
        data["coaching"] = (
            {
                **record(
                    coaching,
                    ["coach", "employer_consent_on", "started_on", "ends_on", "closed_on"],
                ),
                "contacts": [
                    record(c, ["on", "place", "text", "author"]) for c in coaching.contacts.all()
                ],
            }
            if coaching is not None
            else None
        )
        data["retention_checks"] = [
            record(r, ["month", "due_on", "checked_on", "still_employed", "note"])
            for r in job.retention.all()
        ]
        out.append(data)
    return out


@register_export_section(
    "expert_support",
    _("Experience-expert support"),
    labels={"logs": _("What was done")},
    order=360,
)
def _expert_support(person: Person) -> list[dict[str, Any]]:
    requests = (
        ExpertSupportRequest.objects.filter(trajectory__person=person)
        .select_related("trajectory", "requested_by", "expert")
        .prefetch_related(Prefetch("logs", ExpertSupportLog.objects.select_related("author")))
        .order_by("created_at", "pk")
    )
    return [
        {
            "trajectory": r.trajectory.public_id,
            **record(r, ["created_at", "requested_by", "question", "expert", "status"]),
            "logs": [record(log, ["on", "text", "author"]) for log in r.logs.all()],
        }
        for r in requests
    ]


# --- retention and erasure -------------------------------------------------------------------

# Case content under a trajectory: (report key, model, path from the model to its trajectory),
# children before their parents.
TRAJECTORY_CONTENT: list[tuple[str, type[Model], str]] = [
    ("coaching_contacts", CoachingContact, "coaching__job_start__trajectory"),
    ("expert_support_logs", ExpertSupportLog, "request__trajectory"),
    ("expert_support_requests", ExpertSupportRequest, "trajectory"),
    ("readings", Reading, "assessment__trajectory"),
    ("assessments", Assessment, "trajectory"),
    ("pop_reroute_justifications", RerouteJustification, "pop__trajectory"),
    ("pops", PopReport, "trajectory"),
    ("actions", Action, "goal__trajectory"),
    ("goals", Goal, "trajectory"),
    ("contact_status_changes", ContactStatusChange, "contact__trajectory"),
    ("contacts", Contact, "trajectory"),
    ("lead_handovers", LeadHandover, "trajectory"),
    ("domain_responsibilities", DomainResponsibility, "trajectory"),
]


def _trajectory_content(person_ids: Sequence[int], write: bool) -> StepResult:
    """The case content of the person's trajectories."""
    result = StepResult()
    trajectories = Trajectory.objects.filter(person_id__in=person_ids)
    for key, model, path in TRAJECTORY_CONTENT:
        rows = model._default_manager.filter(**{f"{path}__in": trajectories})
        delete_rows(key, rows, f"{path}__person_id", write, result)
    # Kept for outcome statistics, without their free text: trajectories (type, status, dates,
    # closure reason), status changes (without why), job starts and retention checks.
    with_text = trajectories.filter(
        ~Q(closure_note="")
        | ~Q(dates_correction_reason="")
        | (~Q(start_reason="") & ~Q(start_reason=ERASED))
        | Exists(StatusChange.objects.filter(trajectory=OuterRef("pk")).exclude(reason=""))
        | Exists(
            RetentionCheck.objects.filter(job_start__trajectory=OuterRef("pk")).exclude(note="")
        )
    )
    n = with_text.count()
    result.counts["trajectories_cleared"] = n
    if n:
        result.persons.update(with_text.order_by().values_list("person_id", flat=True).distinct())
    if n and write:
        StatusChange.objects.filter(trajectory__in=trajectories).exclude(reason="").update(
            reason=""
        )
        RetentionCheck.objects.filter(job_start__trajectory__in=trajectories).exclude(
            note=""
        ).update(note="")
        trajectories.update(
            closure_note="",
            dates_correction_reason="",
            # The database requires a reason when there is no screening to start from.
            start_reason=Case(
                When(screening__isnull=True, then=Value(ERASED)),
                default=Value(""),
                output_field=CharField(),
            ),
        )
    return result


register_retention_step(
    RetentionStep(
        period="case_content",
        labels={
            "coaching_contacts": _("Job-coaching contacts"),
            "expert_support_logs": _("Experience-expert support logs"),
            "expert_support_requests": _("Experience-expert requests"),
            "readings": _("Readings"),
            "assessments": _("Assessments"),
            "pop_reroute_justifications": _("Why a W² trajectory continues (POP)"),
            "pops": _("POP versions"),
            "actions": _("Plan actions"),
            "goals": _("Plan goals"),
            "contact_status_changes": _("Planned contacts held, cancelled or missed"),
            "contacts": _("Contacts and notes"),
            "lead_handovers": _("Hand-overs of the lead"),
            "domain_responsibilities": _("Responsibilities per life domain"),
            "trajectories_cleared": _("Trajectories kept for statistics, notes cleared"),
        },
        run=_trajectory_content,
        order=100,
    )
)
