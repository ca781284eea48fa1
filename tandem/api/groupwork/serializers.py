"""What group work looks like in the API: what the coach's pages show — a participant's name,
never the trajectory's notes, the person file or special categories."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tandem.common.text import NOTE_MAX
from tandem.groupwork.models import (
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
)


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class Participant(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class IntakeRef(serializers.Serializer):
    id = serializers.IntegerField()
    starts_on = serializers.DateField()


class EnrolmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    participant = Participant()
    programme = Ref()
    module = Ref()
    intake = IntakeRef(allow_null=True)
    requested_on = serializers.DateField()
    requested_by_organisation = serializers.CharField(allow_null=True)
    request_note = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField(allow_null=True)


def participant_data(enrolment: Enrolment) -> dict[str, str]:
    person = enrolment.trajectory.person
    return {"first_name": person.first_name, "last_name": person.last_name}


def enrolment_data(e: Enrolment) -> dict[str, Any]:
    org = e.requested_by.organisation
    return {
        "id": e.public_id,
        "status": e.status,
        "participant": participant_data(e),
        "programme": {"id": e.module.programme.pk, "name": e.module.programme.name},
        "module": {"id": e.module.pk, "name": e.module.name},
        "intake": {"id": e.intake.pk, "starts_on": e.intake.starts_on} if e.intake else None,
        "requested_on": e.requested_on,
        "requested_by_organisation": org.code if org else None,
        "request_note": e.request_note,
        "decided_on": e.decided_on,
    }


class DecisionNote(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)


class DecisionReason(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, help_text="Why the request is declined.")


class IntakeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = Ref()
    module = Ref()
    starts_on = serializers.DateField()
    session_count = serializers.IntegerField()


def intake_data(i: IntakeMoment) -> dict[str, Any]:
    """A group of ``selectors.coached_intakes`` (annotated with ``session_count``)."""
    return {
        "id": i.pk,
        "programme": {"id": i.module.programme.pk, "name": i.module.programme.name},
        "module": {"id": i.module.pk, "name": i.module.name},
        "starts_on": i.starts_on,
        "session_count": i.session_count,  # type: ignore[attr-defined]
    }


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    on = serializers.DateField()
    starts_at = serializers.CharField(help_text="HH:MM, local time (Europe/Brussels).")
    ends_at = serializers.CharField(help_text="HH:MM, local time (Europe/Brussels).")
    place = serializers.CharField()
    recorded = serializers.IntegerField(help_text="Attendance rows recorded.")
    present = serializers.IntegerField()


class GroupParticipant(Participant):
    enrolment = serializers.UUIDField()
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    presences = serializers.IntegerField()
    absences = serializers.IntegerField()


class IntakeDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = Ref()
    module = Ref()
    starts_on = serializers.DateField()
    capacity = serializers.IntegerField()
    sessions = SessionSerializer(many=True)
    participants = GroupParticipant(many=True)


def intake_detail_data(
    i: IntakeMoment, sessions: list[GroupSession], participants: list[Enrolment]
) -> dict[str, Any]:
    return {
        "id": i.pk,
        "programme": {"id": i.module.programme.pk, "name": i.module.programme.name},
        "module": {"id": i.module.pk, "name": i.module.name},
        "starts_on": i.starts_on,
        "capacity": i.module.capacity,
        "sessions": [
            {
                "id": x.pk,
                "number": x.number,
                "on": x.on,
                "starts_at": x.starts_at.strftime("%H:%M"),
                "ends_at": x.ends_at.strftime("%H:%M"),
                "place": x.place,
                "recorded": x.recorded,  # type: ignore[attr-defined]
                "present": x.present,  # type: ignore[attr-defined]
            }
            for x in sessions
        ],
        "participants": [
            {
                **participant_data(e),
                "enrolment": e.public_id,
                "status": e.status,
                "presences": e.presences,  # type: ignore[attr-defined]
                "absences": e.absences,  # type: ignore[attr-defined]
            }
            for e in participants
        ],
    }


class AttendanceItem(serializers.Serializer):
    enrolment = serializers.UUIDField(help_text="The participant's enrolment id.")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceBody(serializers.Serializer):
    items = AttendanceItem(many=True, max_length=500)


class AttendanceRow(Participant):
    enrolment = serializers.UUIDField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, allow_null=True)


class AttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    on = serializers.DateField()
    items = AttendanceRow(many=True)
    dropout_signals = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Enrolments that got a drop-out signal with this recording.",
    )
