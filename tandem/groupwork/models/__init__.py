"""Group work (DOMAIN.md §2.5): programmes and their modules, intake moments and sessions
(programme.py); enrolments, attendance and the coach's notes (enrolment.py); the social
network map (network.py); the self-assessment of self-image and draagkracht
(selfassessment.py)."""

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
from .selfassessment import ITEM_FIELDS, LEVEL_MAX, LEVEL_MIN, STATEMENTS, SelfAssessment

__all__ = [
    "ITEM_FIELDS",
    "LEVEL_MAX",
    "LEVEL_MIN",
    "OPEN_ENROLMENT_STATUSES",
    "STATEMENTS",
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
    "SelfAssessment",
    "Theme",
    "TieKind",
]
