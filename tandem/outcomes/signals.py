"""Keeping the outcome table current when a lower app writes what it is computed from.

Trajectories and persons live in apps below ``outcomes`` (tests/test_layering.py): their
services cannot call ``refresh_outcomes``, so the outcome app listens to their saves.

- a Tandem trajectory saved while closed (closing, a corrected end date) refreshes its person
  (a closed trajectory is never reopened: ``ALLOWED_TRANSITIONS[CLOSED]`` is empty; were it,
  the refresh of its person would drop its row);
- a person saved who has outcome rows refreshes them (gender, birth date, education, benefit
  and province are copied into the rows).

Self-sufficiency readings need no hook: they are recorded only on a trajectory that is not
closed (``assessment_record`` refuses a closed one), so the first reading of an ended one does
not change. Status events and imported trajectories are written by the imports, which call
``refresh_outcomes`` themselves; retention and erasure do so in ``outcomes.privacy``.
"""

from __future__ import annotations

from typing import Any

from tandem.registry.models import Person
from tandem.trajectories.models import Status, Trajectory

from .models import TrajectoryOutcome
from .services import refresh_outcomes


def trajectory_saved(sender: Any, instance: Trajectory, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.status == Status.CLOSED:
        refresh_outcomes([instance.person_id])


def person_saved(sender: Any, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if not raw and TrajectoryOutcome.objects.filter(person_id=instance.pk).exists():
        refresh_outcomes([instance.pk])


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(trajectory_saved, sender=Trajectory, dispatch_uid="outcomes.trajectory")
    post_save.connect(person_saved, sender=Person, dispatch_uid="outcomes.person")
