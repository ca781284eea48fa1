"""The home page's panels: what the user's organisation works with (the persons they see) and
one panel per kind of work, each shown to the users whose capabilities call for it
(``tandem.access.capabilities``) and each a function returning its part of the page's context.
Every read goes through a selector of the app that owns the data; a panel only shapes it.

(These are the home page's own panels, not the person and trajectory page panels an app
registers in ``tandem/common/panels.py``: the home page is the top of the stack and may import
every app's selectors.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.accounts.models import Role, User
from tandem.accounts.selectors import organisation_count, role_assignment_counts
from tandem.common.disclosure import note as disclosure_note
from tandem.common.disclosure import protect_one_way, shown
from tandem.common.models import Province
from tandem.home.work import cases as work_cases
from tandem.home.work import dpo as work_dpo
from tandem.home.work import intake as work_intake
from tandem.home.work import roles as work_roles
from tandem.programmes.selectors import project_list
from tandem.registry.selectors import person_counts_for, persons_per_province

Context = dict[str, Any]


@dataclass(frozen=True)
class Panel:
    """A part of the home page: shown to the users holding ``capability``, drawn by
    ``template`` with the context ``build(request)`` returns (none for a panel of text and
    links only)."""

    capability: str
    template: str
    build: Callable[[AuthenticatedRequest], Context] | None = None


def cases(request: AuthenticatedRequest) -> Context:
    """The persons the user sees, counted, with the person search."""
    return {"case_stats": person_counts_for(request.user, timezone.localdate())}


def admin(request: AuthenticatedRequest) -> Context:
    """How many organisations, and how many users hold each role."""
    return {
        "admin_stats": {
            "organisations": organisation_count(),
            # Role names in the reader's language, never the stored codes.
            "roles": [
                {"role": Role(code).label if code in Role.values else code, "n": n}
                for code, n in role_assignment_counts().items()
            ],
        }
    }


def province_counts() -> Context:
    """Registered persons per province with their total, under disclosure control."""
    counts = persons_per_province()
    hidden, total_hidden = protect_one_way(counts)
    labels = dict(Province.choices)
    return {
        "rows": [
            {"province": labels.get(code, code), "count": shown(n, code in hidden)}
            for code, n in counts.items()
        ],
        "total": shown(sum(counts.values()), total_hidden),
    }


def programme_manager(request: AuthenticatedRequest) -> Context:
    """Aggregates only: their work (data-quality findings, targets at risk:
    ``work.roles.programme_manager``), persons per province (small counts hidden) and the
    projects."""
    return {
        **work_roles.programme_manager(request),
        "province_counts": province_counts(),
        "disclosure_note": disclosure_note(),
        "projects": project_list(),
    }


# In the order of the page: the persons first, then a panel per kind of work in the order of
# the role codes (as when the page drew one panel per role held, sorted).
PANELS = (
    Panel("person.read", "home/panels/cases.html", cases),
    # Issue 18: work that arrives from others comes first.
    Panel("intake.queue", "home/panels/intake_queue.html", work_intake.intake_queue),
    Panel("intake.sent", "home/panels/my_referrals.html", work_intake.my_referrals),
    # The duo's case work (tandem.home.work.cases): what is due today, urgent first.
    Panel("trajectory.caseload", "home/panels/work_contacts.html", work_cases.contacts_due),
    Panel("trajectory.caseload", "home/panels/work_actions.html", work_cases.overdue_actions),
    Panel("trajectory.partner", "home/panels/work_inbox.html", work_cases.new_referrals),
    Panel("referral.send", "home/panels/work_referrals.html", work_cases.referral_work),
    Panel("groupwork.enrol", "home/panels/work_group.html", work_cases.group_work),
    Panel("trajectory.lead", "home/panels/work_retention.html", work_cases.retention_checks),
    Panel("trajectory.request_expert", "home/panels/work_expert.html", work_cases.expert_answers),
    Panel("trajectory.caseload", "home/panels/work_silent.html", work_cases.silent_trajectories),
    Panel("trajectory.partner", "home/panels/work_domains.html", work_cases.domains_led),
    Panel("home.admin_panel", "home/panels/admin.html", admin),
    Panel(
        "audit.view_access_log",
        "home/panels/data_protection_officer.html",
        work_dpo.subject_requests,
    ),
    # Issue 18, my work: each role's worklist (tandem.home.work.roles).
    Panel(
        "trajectory.respond_as_expert",
        "home/panels/experience_expert.html",
        work_roles.experience_expert,
    ),
    Panel("groupwork.coach", "home/panels/group_coach.html", work_roles.group_coach),
    Panel("home.job_coach_panel", "home/panels/job_coach.html", work_roles.job_coach),
    Panel("trajectory.lead", "home/panels/mediator.html"),
    Panel("outreach.contact", "home/panels/outreach_worker.html", work_roles.outreach_worker),
    Panel("programme.oversee", "home/panels/programme_manager.html", programme_manager),
    Panel("home.service_line_panel", "home/panels/service_line.html"),
    Panel("trajectory.partner", "home/panels/welfare_partner.html"),
)


def panels_for(user: User) -> list[Panel]:
    """The panels this user's capabilities call for, in the order of the page."""
    return [panel for panel in PANELS if has_capability(user, panel.capability)]
