"""What a trajectory, its plan, an action and a contact look like in the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.common.dates import validate_event_date
from tandem.common.models import LifeDomain
from tandem.common.text import NOTE_MAX
from tandem.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Contact,
    ContactKind,
    ContactStatus,
    Goal,
    Status,
    Trajectory,
    TrajectoryType,
)


class PersonRef(serializers.Serializer):
    id = serializers.UUIDField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class TrajectorySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    person = PersonRef()
    organisation = serializers.CharField(help_text="The code of the trajectory's organisation.")
    type = serializers.ChoiceField(choices=TrajectoryType.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.ChoiceField(choices=ActionOwner.choices)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    done_on = serializers.DateField(allow_null=True)
    dropped_reason = serializers.CharField(allow_blank=True)


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    description = serializers.CharField()
    actions = ActionSerializer(many=True)


class PlannedContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trajectory = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    status = serializers.ChoiceField(choices=ContactStatus.choices)
    on = serializers.DateField()
    at = serializers.CharField(help_text="The time it starts, HH:MM (Europe/Brussels).")
    minutes = serializers.IntegerField(allow_null=True)
    place = serializers.CharField(allow_blank=True)
    purpose = serializers.CharField(allow_blank=True)


class TrajectoryDetailSerializer(TrajectorySerializer):
    planned_contacts = PlannedContactSerializer(
        many=True,
        help_text="The contacts planned with the person, the earliest first (the first is the "
        "trajectory's next contact).",
    )
    visible_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeDomain.choices),
        help_text="The life domains of the plan this client may see; goals of others are left "
        "out, as on the page.",
    )
    goals = GoalSerializer(many=True)


def trajectory_data(t: Trajectory) -> dict[str, Any]:
    p = t.person
    return {
        "id": t.public_id,
        "person": {"id": p.public_id, "first_name": p.first_name, "last_name": p.last_name},
        "organisation": t.organisation.code,
        "type": t.type,
        "status": t.status,
        "start_date": t.start_date,
        "end_date": t.end_date,
    }


def action_data(a: Action) -> dict[str, Any]:
    return {
        "id": a.pk,
        "description": a.description,
        "owner": a.owner,
        "due_on": a.due_on,
        "status": a.status,
        "done_on": a.done_on,
        "dropped_reason": a.dropped_reason,
    }


def planned_contact_data(c: Contact, trajectory: Trajectory) -> dict[str, Any]:
    return {
        "id": c.pk,
        "trajectory": trajectory.public_id,
        "kind": c.kind,
        "status": c.status,
        "on": c.on,
        "at": c.at.strftime("%H:%M") if c.at else "",
        "minutes": c.minutes,
        "place": c.place,
        "purpose": c.purpose,
    }


def trajectory_detail_data(
    t: Trajectory, goals: list[Goal], visible: frozenset[str], planned: list[Contact]
) -> dict[str, Any]:
    return {
        **trajectory_data(t),
        "planned_contacts": [planned_contact_data(c, t) for c in planned],
        "visible_domains": [d for d in LifeDomain.values if d in visible],
        "goals": [
            {
                "id": g.pk,
                "domain": g.domain,
                "description": g.description,
                "actions": [action_data(a) for a in g.actions.all()],
            }
            for g in goals
        ],
    }


class ActionDoneBody(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day it was done (default: today).")


class ActionDropBody(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the action is dropped.")


class ActionReopenBody(serializers.Serializer):
    pass


@extend_schema_field(
    {
        "type": "string",
        "format": "past-date",
        "description": "A day (YYYY-MM-DD) that is not in the future: the day it took place.",
    }
)
class PastDateField(serializers.DateField):
    """A date that lies today or before (the service refuses a later one: 400, naming it)."""


class ContactBody(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    on = PastDateField()
    text = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    domain = serializers.ChoiceField(
        choices=LifeDomain.choices,
        required=False,
        allow_blank=True,
        help_text="The life domain of the note; blank: the whole trajectory.",
    )


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trajectory = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    on = serializers.DateField()
    place = serializers.CharField(allow_blank=True)
    domain = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


def contact_data(c: Contact, trajectory: Trajectory) -> dict[str, Any]:
    return {
        "id": c.pk,
        "trajectory": trajectory.public_id,
        "kind": c.kind,
        "on": c.on,
        "place": c.place,
        "domain": c.domain,
        "text": c.text,
    }


# Text without NUL characters (refused by every text field), stated so the schema says it.
NO_NUL = r"^[^\x00]*$"
# The kinds a contact can be planned as: a note is written, never planned.
PLANNABLE_KINDS = [(k, label) for k, label in ContactKind.choices if k != ContactKind.NOTE]


@extend_schema_field(
    {
        "type": "string",
        "format": "event-date",
        "description": "A day (YYYY-MM-DD) from 2000 to a year ahead, as on the page.",
    }
)
class EventDateField(serializers.DateField):
    """A date where a person's events can lie (``tandem.common.dates``: 2000 to a year ahead);
    another is a 400 naming the field, as the page's date field refuses it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_event_date], **kwargs)


class PlannedContactBody(serializers.Serializer):
    """The page's form to plan a contact (``PlannedContactForm``), field for field."""

    kind = serializers.ChoiceField(choices=PLANNABLE_KINDS)
    on = EventDateField()
    at = serializers.RegexField(
        r"^([01][0-9]|2[0-3]):[0-5][0-9]$", help_text="The time it starts, HH:MM."
    )
    minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=5, max_value=480, help_text="How long."
    )
    place = serializers.RegexField(NO_NUL, required=False, allow_blank=True, max_length=200)
    purpose = serializers.RegexField(
        NO_NUL,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="A few words, shown in the agenda: no health or other sensitive details.",
    )
