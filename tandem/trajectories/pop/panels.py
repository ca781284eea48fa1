"""What the trajectory page shows of the POP (merged into its context): the latest version,
how many versions there are and whether the user may edit; and, for the duo, the prompt to
re-route when the latest signed-off version calls for it (``rules.pop_calls_for_rerouting``)
until the duo answers. One query (two for a group coach)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.access.capabilities import has_capability
from tandem.access.scope import is_duo
from tandem.accounts.models import User

from ..models import PopReport, RerouteJustification, Status, Trajectory
from .forms import RerouteJustificationForm
from .rules import pop_calls_for_rerouting
from .services import can_edit_pop


@dataclass(frozen=True)
class PopPanel:
    latest: PopReport | None
    version_count: int
    can_edit: bool


@dataclass(frozen=True)
class ReroutePrompt:
    """The latest signed-off POP calls for re-routing and the duo has not answered yet."""

    pop: PopReport
    reason: str
    can_start: bool  # the user may start the work-and-care or regular trajectory


def reroute_prompt(
    user: User, trajectory: Trajectory, versions: list[PopReport]
) -> ReroutePrompt | None:
    """The prompt for ``user`` (the duo only), from the versions newest first: shown while
    the trajectory is open, its latest signed-off version calls for re-routing and nobody of
    the duo wrote why the trajectory continues. Closing the trajectory (to move the person to a
    work-and-care trajectory or regular mediation) answers it too."""
    if not trajectory.is_open or not is_duo(user, trajectory):
        return None
    signed = next((p for p in versions if p.signed_off_on is not None), None)
    if signed is None:
        return None
    calls = pop_calls_for_rerouting(
        trajectory_type=trajectory.type,
        perspective=signed.perspective,
        signed_off=True,
        in_work=trajectory.status == Status.EMPLOYED,
    )
    if not calls or _justification(signed) is not None:
        return None
    return ReroutePrompt(
        pop=signed, reason=calls.reason, can_start=has_capability(user, "trajectory.start")
    )


def _justification(pop: PopReport) -> RerouteJustification | None:
    try:
        return pop.reroute_justification
    except RerouteJustification.DoesNotExist:
        return None


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    versions = list(
        trajectory.pops.select_related("reroute_justification")
        .only(
            "pk",
            "trajectory_id",
            "version",
            "job_target",
            "perspective",
            "signed_off_on",
            "reroute_justification__id",
            "reroute_justification__pop_id",
        )
        .order_by("-version")
    )
    return {
        "pop_panel": PopPanel(
            latest=versions[0] if versions else None,
            version_count=len(versions),
            can_edit=can_edit_pop(user, trajectory),
        ),
        "reroute_prompt": reroute_prompt(user, trajectory, versions),
        "reroute_form": RerouteJustificationForm(),
    }
