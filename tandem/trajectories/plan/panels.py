"""What the trajectory page shows of the plan (a panel of the page, ``tandem.common.panels``):
the goals and actions per life domain, the contacts and notes, and the empty forms to add
them (prefixed: several forms on one page must not share field ids)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.screening.models import Light

from ..models import Trajectory
from .forms import ActionForm, ContactForm, ContactStatusForm, GoalForm, PlannedContactForm
from .selectors import contacts_visible_to, plan_for, planned_contacts_of

CONTACTS_SHOWN = 30


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    plan = plan_for(user, trajectory)
    planned = planned_contacts_of(trajectory)
    return {
        "domains": plan.domains,
        "has_goals": plan.has_goals,
        "hidden_domains": plan.hidden_domains,
        "today": timezone.localdate(),
        "light_labels": dict(Light.choices),
        "contacts": list(contacts_visible_to(user, trajectory)[:CONTACTS_SHOWN]),
        "goal_form": GoalForm(prefix="goal"),
        "action_form": ActionForm(),
        "contact_form": ContactForm(prefix="contact", planned=planned),
        # The next contact is the earliest planned one (derived, never stored).
        "planned_contacts": [(c, ContactStatusForm(prefix=f"contact{c.pk}")) for c in planned],
        "next_contact": planned[0] if planned else None,
        "plan_form": PlannedContactForm(prefix="plan"),
    }
