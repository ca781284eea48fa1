"""What a signed-off POP means for the trajectory it belongs to: pure functions over plain
values, each answer with its reason (DESIGN.md habit 5). The cases and their sources are in
``tests/trajectories/test_pop_consequences.py``.

- Source 003 (parliamentary answer, question 1): a W² trajectory is for people without a
  pronounced medical, mental, psychological or psychiatric problem, with enough motivation to
  work, who are expected to move on to training and/or work *within two years*.
- Source 004 (evaluation of the group work): the POP report holds a job target, the
  participation perspective for work (NEC, SEC, LDE, *arbeidszorg* or *werk niet haalbaar*)
  and an action plan.

A POP agreed with the person whose perspective is work-and-care (arbeidszorg) or "work not
feasible now" says the person is not expected to move on to work within two years: the W²
route no longer fits, and the duo re-routes (a work-and-care trajectory or regular mediation)
or writes why the W² trajectory goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Perspective, TrajectoryType

# The perspectives that say work is not in reach within two years (source 004's list read
# against source 003's W² criterion).
REROUTE_PERSPECTIVES = frozenset({Perspective.WORK_CARE, Perspective.NOT_FEASIBLE})


@dataclass(frozen=True)
class Answer:
    """A rule's answer and why, in words the page can show."""

    yes: bool
    reason: str

    def __bool__(self) -> bool:
        return self.yes


def pop_calls_for_rerouting(
    *, trajectory_type: str, perspective: str, signed_off: bool, in_work: bool = False
) -> Answer:
    """Whether a POP calls for re-routing the trajectory it belongs to.

    ``in_work``: the person started a job since (the trajectory is in job coaching, DOMAIN.md
    §2.6): the POP's perspective is overtaken by the job, so nothing is re-routed."""
    if trajectory_type != TrajectoryType.W2:
        return Answer(
            False,
            _("Only a W² trajectory expects the person to move on to work within two years."),
        )
    if not signed_off:
        return Answer(False, _("A draft is not yet agreed with the person."))
    if in_work:
        return Answer(
            False,
            _(
                "The person has started work (job coaching): the job overtakes the POP's "
                "perspective."
            ),
        )
    if perspective == Perspective.WORK_CARE:
        return Answer(
            True,
            _(
                "The POP's perspective is work-care (arbeidszorg): a W² trajectory is for people "
                "expected to move on to training or work within two years."
            ),
        )
    if perspective == Perspective.NOT_FEASIBLE:
        return Answer(
            True,
            _(
                "The POP says work is not feasible now: a W² trajectory is for people expected "
                "to move on to training or work within two years."
            ),
        )
    return Answer(False, _("The POP's perspective is work: the W² route fits."))


def job_target_allowed(*, perspective: str, job_target: str) -> Answer:
    """Whether a POP may hold this job target: not when work is not feasible now (a job
    target there contradicts the perspective, source 004)."""
    if perspective == Perspective.NOT_FEASIBLE and job_target.strip():
        return Answer(
            False,
            _(
                "A POP whose perspective is “work not feasible now” has no job target: leave "
                "the job target empty, or choose another participation perspective."
            ),
        )
    return Answer(True, "")
