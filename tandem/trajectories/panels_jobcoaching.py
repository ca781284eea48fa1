"""What the trajectory page shows of the jobcoaching part (merged into its context)."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User

from .models import Trajectory


def panel_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    return {}
