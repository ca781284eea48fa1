"""Group work (DOMAIN.md §2.5): programmes and their modules, intake moments and sessions
(programme.py); enrolments, attendance and the coach's notes (enrolment.py); the social
network map (network.py)."""

from .enrolment import (
    OPEN_ENROLMENT_STATUSES,
    Attendance,
    AttendanceStatus,
    CoachNote,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    LeaveReason,
    PopInput,
)
from .network import MapMoment, NetworkMap, NetworkTie, Relation, TieKind
from .programme import GroupSession, IntakeMoment, Module, Programme, Theme

__all__ = [
    "OPEN_ENROLMENT_STATUSES",
    "Attendance",
    "AttendanceStatus",
    "CoachNote",
    "Enrolment",
    "EnrolmentChange",
    "EnrolmentStatus",
    "GroupSession",
    "IntakeMoment",
    "LeaveReason",
    "MapMoment",
    "Module",
    "NetworkMap",
    "NetworkTie",
    "PopInput",
    "Programme",
    "Relation",
    "Theme",
    "TieKind",
]
