"""The subject-access export (GDPR art. 15): everything Tandem holds about one person.

The export is a list of sections, each with a key (the JSON key), a title and a function that
collects the section's data for a person. Apps register their sections here, so an app added
later (consent and referrals arrive with the network app) contributes its own data without
this module knowing it: ``register_export_section("referrals", _("Referrals"))(collect)``.
A placeholder section — an empty list until its app exists — can be replaced that way; any
other key can be registered once.

It is the person's own data, so it is complete: special-category notes (health, addiction,
justice) included. Who may run it is decided by the views (``tandem.audit.selectors``). The
access history names the organisation, role, what and why of each read, not the employee
(CJEU C-579/21, *Pankki S*: the employees' identity is not owed) and not their IP address.

``person_export`` returns plain Python data (dates, decimals); the JSON view serialises it and
``export_outline`` turns it into headings, facts and tables for the PDF.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role
from tandem.common.models import LifeDomain
from tandem.registry.models import (
    Household,
    HouseholdMember,
    IncomeComponent,
    Person,
    PersonAssignment,
)
from tandem.screening import indicators
from tandem.screening.models import Screening, ScreeningAnswer
from tandem.trajectories.models import (
    Action,
    Assessment,
    CoachingContact,
    Contact,
    ExpertSupportLog,
    ExpertSupportRequest,
    Goal,
    JobCoaching,
    JobStart,
    LeadHandover,
    PopReport,
    Reading,
    RetentionCheck,
    StatusChange,
    Trajectory,
)

from .models import PURPOSE_LABELS, WHAT_LABELS, AccessLog

FORMAT = "tandem.subject-access-export"
VERSION = 1

Collect = Callable[[Person], Any]


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: Promise | str
    collect: Collect
    # Labels for the PDF of keys that are not field names of a model listed in LABEL_MODELS.
    labels: Mapping[str, Promise | str] = field(default_factory=dict)
    placeholder: bool = False


_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(
    key: str,
    title: Promise | str,
    *,
    labels: Mapping[str, Promise | str] | None = None,
    placeholder: bool = False,
) -> Callable[[Collect], Collect]:
    """Register the function that collects one section of the export (a decorator)."""

    def decorator(collect: Collect) -> Collect:
        existing = _SECTIONS.get(key)
        if existing is not None and not existing.placeholder:
            raise ImproperlyConfigured(f"The export already has a section {key!r}.")
        _SECTIONS[key] = ExportSection(
            key=key, title=title, collect=collect, labels=labels or {}, placeholder=placeholder
        )
        return collect

    return decorator


def export_sections() -> list[ExportSection]:
    return list(_SECTIONS.values())


def person_export(person: Person) -> dict[str, Any]:
    """Collect every section for one person (the person's data as stored, with labels)."""
    sections = export_sections()
    data: dict[str, Any] = {
        "export": {
            "format": FORMAT,
            "version": VERSION,
            "generated_at": timezone.localtime(),
            "language": get_language(),
            "sections": [s.key for s in sections],
            # Sections Tandem does not record yet: their empty list means "not recorded", not
            # "none".
            "not_recorded_yet": [s.key for s in sections if s.placeholder],
        }
    }
    for section in sections:
        data[section.key] = section.collect(person)
    return data


# --- turning rows into data ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def record(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row: related rows by name, choices with their label."""
    out: dict[str, Any] = {}
    for name in fields:
        f = obj._meta.get_field(name)
        if f.is_relation:
            related = getattr(obj, name)
            out[name] = str(related) if related is not None else None
            continue
        value = getattr(obj, name)
        out[name] = _plain(value)
        if getattr(f, "choices", None) and value not in ("", None):
            out[f"{name}_label"] = str(getattr(obj, f"get_{name}_display")())
    return out


def _domain_label(code: str) -> str:
    return str(dict(LifeDomain.choices).get(code, code))


# --- the sections ----------------------------------------------------------------------------

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "insz",
    "birth_date",
    "gender",
    "languages",
    "street",
    "house_number",
    "postal_code",
    "municipality",
    "province",
    "phone",
    "email",
    "education",
    "registration",
    "benefit",
    "nationality_group",
    "foreign_background",
    "disability",
    "organisation",
    "created_at",
]


@register_export_section(
    "person", _("Person"), labels={"organisation": _("registering organisation")}
)
def _person(person: Person) -> dict[str, Any]:
    data = record(person, PERSON_FIELDS)
    data["languages"] = person.language_labels()
    data["public_id"] = person.public_id
    return data


@register_export_section(
    "household",
    _("Household"),
    labels={
        "members": _("Household members"),
        "item": _("item"),
        "answer": _("cannot afford it (deprivation) or weak on it (Kind & Gezin)"),
    },
)
def _household(person: Person) -> dict[str, Any] | None:
    if person.household_id is None:
        return None
    household = Household.objects.get(pk=person.household_id)
    members = HouseholdMember.objects.filter(household=household).order_by("birth_date", "pk")
    items = {**indicators.HOUSEHOLD_ITEMS, **indicators.PERSONAL_ITEMS}
    return {
        "members": [
            record(m, ["relation", "first_name", "birth_date", "activity", "months_worked"])
            for m in members
        ],
        # True: cannot afford it (deprivation) or weak on it (Kind & Gezin).
        "deprivation": [
            {"item": code, "item_label": str(items.get(code, code)), "answer": value}
            for code, value in household.deprivation.items()
        ],
        "kind_en_gezin": [
            {
                "item": code,
                "item_label": str(indicators.KIND_EN_GEZIN_CRITERIA.get(code, code)),
                "answer": value,
            }
            for code, value in household.kind_en_gezin.items()
        ],
    }


@register_export_section("income", _("Income"))
def _income(person: Person) -> list[dict[str, Any]]:
    if person.household_id is None:
        return []
    rows = IncomeComponent.objects.filter(household_id=person.household_id).select_related("member")
    return [
        {
            **record(c, ["kind", "monthly_amount"]),
            "member": c.member.first_name if c.member else None,
        }
        for c in rows.order_by("pk")
    ]


@register_export_section(
    "screenings",
    _("Screenings"),
    labels={"answers": _("Answers"), "question": _("question"), "domain": _("life domain")},
)
def _screenings(person: Person) -> list[dict[str, Any]]:
    screenings = (
        Screening.objects.filter(person=person)
        .select_related(
            "organisation", "conducted_by", "checklist", "referred_to", "route_chosen_by"
        )
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.select_related("signal").order_by(
                    "signal__order", "signal__pk"
                ),
            )
        )
        .order_by("conducted_on", "created_at")
    )
    out = []
    for s in screenings:
        data = record(
            s,
            [
                "conducted_on",
                "organisation",
                "conducted_by",
                "checklist",
                "motivation",
                "outflow_within_two_years",
                "notes",
                "advice",
                "advice_reasons",
                "route_suggested",
                "route_reasons",
                "route_chosen",
                "route_choice_reason",
                "non_active",
                "referred_to",
                "referred_at",
                "referral_note",
            ],
        )
        data["lights"] = {
            _domain_label(domain): value.get("light") for domain, value in s.lights.items()
        }
        data["answers"] = [
            {
                "domain": _domain_label(a.signal.domain),
                "question": a.signal.question,
                "present": a.present,
            }
            for a in s.answers.all()
        ]
        out.append(data)
    return out


@register_export_section(
    "trajectories",
    _("Trajectories"),
    labels={
        "status_history": _("Status history"),
        "handovers": _("Hand-overs of the lead"),
        "responsibilities": _("Responsibilities per life domain"),
        "public_id": _("reference"),
    },
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
                    "next_contact_on",
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


@register_export_section("plan", _("Plan"), labels={"actions": _("Actions")})
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


@register_export_section("contacts", _("Contacts and notes"))
def _contacts(person: Person) -> list[dict[str, Any]]:
    # All of them, special-category notes too: this is the person's own data.
    contacts = (
        Contact.objects.filter(trajectory__person=person)
        .select_related("trajectory", "author")
        .order_by("on", "pk")
    )
    return [
        {
            "trajectory": c.trajectory.public_id,
            **record(c, ["on", "kind", "place", "domain", "text", "author"]),
        }
        for c in contacts
    ]


@register_export_section("readings", _("Readings"), labels={"readings": _("Readings")})
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


@register_export_section("pops", _("POP (personal development plan)"))
def _pops(person: Person) -> list[dict[str, Any]]:
    pops = (
        PopReport.objects.filter(trajectory__person=person)
        .select_related("trajectory", "drafted_by")
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
        }
        for p in pops
    ]


@register_export_section(
    "job_coaching",
    _("Job starts and job coaching"),
    labels={
        "coaching": _("Job coaching"),
        "retention_checks": _("Retention checks"),
        "contacts": _("Coaching contacts"),
    },
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
    "expert_support", _("Experience-expert support"), labels={"logs": _("What was done")}
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


@register_export_section("assignments", _("Organisations that work with the person"))
def _assignments(person: Person) -> list[dict[str, Any]]:
    rows = (
        PersonAssignment.objects.filter(person=person)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    return [record(a, ["organisation", "reason", "created_at"]) for a in rows]


# Consent and referrals are recorded by the network app (a later issue). Until then the export
# carries the keys with an empty list, and says so in "not_recorded_yet"; the network app
# registers its own "consents" and "referrals" sections, which replace these.
register_export_section("consents", _("Consents"), placeholder=True)(lambda person: [])
register_export_section("referrals", _("Referrals"), placeholder=True)(lambda person: [])


def _role_labels(codes: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes.split(",") if c)


@register_export_section(
    "access_history",
    _("Who read the file"),
    labels={"at": _("when"), "roles": _("role")},
)
def _access_history(person: Person) -> list[dict[str, Any]]:
    rows = (
        AccessLog.objects.filter(person=person).select_related("organisation").order_by("at", "pk")
    )
    return [
        {
            "at": timezone.localtime(row.at),
            "organisation": str(row.organisation) if row.organisation else None,
            "roles": _role_labels(row.roles),
            "what": str(WHAT_LABELS.get(row.what, row.what)),
            "purpose": str(PURPOSE_LABELS.get(row.purpose, row.purpose)),
        }
        for row in rows
    ]


# --- the PDF outline -------------------------------------------------------------------------

# Models whose field names label the export's keys in the PDF (the first one wins).
LABEL_MODELS: list[type[models.Model]] = [
    Trajectory,
    Screening,
    HouseholdMember,
    IncomeComponent,
    StatusChange,
    LeadHandover,
    Goal,
    Action,
    Contact,
    Assessment,
    Reading,
    PopReport,
    JobStart,
    JobCoaching,
    RetentionCheck,
    ExpertSupportRequest,
    PersonAssignment,
    AccessLog,
    Person,
]
EXTRA_LABELS: dict[str, Promise] = {
    "public_id": _("reference"),
    "created_at": _("recorded on"),
    "lights": _("traffic lights"),
    "present": _("present"),
    "member": _("member"),
    "deprivation": _("material and social deprivation items"),
    "kind_en_gezin": _("Kind & Gezin criteria"),
}


@dataclass
class Block:
    """One piece of the PDF: a heading, a list of facts, a table, or a 'nothing' line."""

    kind: str
    level: int
    title: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)


def _labels(section_labels: Mapping[str, Promise | str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in LABEL_MODELS:
        for f in model._meta.get_fields():
            verbose = getattr(f, "verbose_name", None)
            if verbose and f.name not in labels:
                labels[f.name] = str(verbose)
    labels.update({k: str(v) for k, v in EXTRA_LABELS.items()})
    for other in export_sections():
        labels.update({k: str(v) for k, v in other.labels.items()})
    # The section's own labels win over another section's for the same key.
    labels.update({k: str(v) for k, v in section_labels.items()})
    return labels


def _text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(_plain(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True)
    if isinstance(value, uuid.UUID):
        return str(value)[:8]
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _is_nested(value: Any) -> bool:
    return (isinstance(value, list) and any(isinstance(v, dict) for v in value)) or (
        isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values())
    )


def _visible_keys(item: Mapping[str, Any]) -> list[str]:
    # A code with a label shows as its label.
    return [k for k in item if not (k.endswith("_label") and k[: -len("_label")] in item)]


def _value(item: Mapping[str, Any], key: str) -> Any:
    return item.get(f"{key}_label", item[key])


def _outline_dict(item: Mapping[str, Any], level: int, labels: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    rows, nested = [], []
    for key in _visible_keys(item):
        value = item[key]
        if _is_nested(value):
            nested.append(key)
        else:
            rows.append((labels.get(key, key), _text(_value(item, key))))
    if rows:
        blocks.append(Block(kind="facts", level=level, rows=rows))
    for key in nested:
        blocks.append(Block(kind="heading", level=level + 1, title=labels.get(key, key)))
        blocks.extend(_outline_value(item[key], level + 1, labels))
    return blocks


def _outline_value(value: Any, level: int, labels: dict[str, str]) -> list[Block]:
    if value is None or value == [] or value == {}:
        return [Block(kind="empty", level=level)]
    if isinstance(value, dict):
        return _outline_dict(value, level, labels)
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if not any(_is_nested(v) for item in value for v in item.values()):
            keys = _visible_keys(value[0])
            return [
                Block(
                    kind="table",
                    level=level,
                    columns=[labels.get(k, k) for k in keys],
                    cells=[[_text(_value(item, k)) for k in keys] for item in value],
                )
            ]
        blocks = []
        for n, item in enumerate(value, start=1):
            blocks.append(Block(kind="heading", level=level + 1, title=f"{n}."))
            blocks.extend(_outline_dict(item, level + 1, labels))
        return blocks
    return [Block(kind="facts", level=level, rows=[("", _text(value))])]


def export_outline(data: Mapping[str, Any]) -> list[tuple[str, list[Block]]]:
    """The export as (section title, blocks) for the PDF template."""
    out = []
    for section in export_sections():
        labels = _labels(section.labels)
        out.append((str(section.title), _outline_value(data.get(section.key), 2, labels)))
    return out
