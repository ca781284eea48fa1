"""Trajectories: the lifecycle and duo (trajectory.py), the plan, contacts and experience-expert
support (plan.py), measurement (measurement.py), the POP (pop.py) and job coaching
(jobcoaching.py)."""

from .jobcoaching import CoachingContact, ContractType, JobCoaching, JobStart, RetentionCheck
from .measurement import Assessment, Reading, Scale, ScaleLevel
from .plan import (
    CONTACT_TRANSITIONS,
    Action,
    ActionOwner,
    ActionStatus,
    Contact,
    ContactKind,
    ContactStatus,
    ContactStatusChange,
    ExpertSupportLog,
    ExpertSupportRequest,
    ExpertSupportStatus,
    Goal,
)
from .pop import Perspective, PopReport, RerouteJustification
from .trajectory import (
    ALLOWED_TRANSITIONS,
    ClosureReason,
    DomainResponsibility,
    LeadHandover,
    Side,
    Status,
    StatusChange,
    Trajectory,
    TrajectoryType,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CONTACT_TRANSITIONS",
    "Action",
    "ActionOwner",
    "ActionStatus",
    "Assessment",
    "ClosureReason",
    "CoachingContact",
    "Contact",
    "ContactKind",
    "ContactStatus",
    "ContactStatusChange",
    "ContractType",
    "DomainResponsibility",
    "ExpertSupportLog",
    "ExpertSupportRequest",
    "ExpertSupportStatus",
    "Goal",
    "JobCoaching",
    "JobStart",
    "LeadHandover",
    "Perspective",
    "PopReport",
    "Reading",
    "RerouteJustification",
    "RetentionCheck",
    "Scale",
    "ScaleLevel",
    "Side",
    "Status",
    "StatusChange",
    "Trajectory",
    "TrajectoryType",
]
