"""A state machine's table of allowed moves and the words it refuses a move with: pure data,
importable from models, forms and rules. Making a move (save, history row, audit event) is
``tandem.common.transitions.transition``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class TransitionNotAllowed(ValidationError):
    """The state machine does not allow this status change."""


@dataclass(frozen=True)
class StateMachine:
    """A table of allowed moves and the words a refused move is told in.

    ``refusal`` is a (lazy) message with ``%(from)s`` and ``%(to)s``, filled with the labels
    of ``statuses`` (lower-cased when ``lower_labels``)."""

    table: Mapping[str, frozenset[str]]
    statuses: type[models.TextChoices]
    refusal: str | _StrPromise
    code: str = "transition_not_allowed"
    lower_labels: bool = False

    def reachable(self, status: str) -> frozenset[str]:
        """The statuses this machine may move to from ``status``."""
        return self.table[status]

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.table[from_status]

    def _label(self, status: str) -> str:
        label = str(self.statuses(status).label) if status in self.statuses.values else status
        return label.lower() if self.lower_labels else label

    def check(self, from_status: str, to_status: str) -> None:
        """Raise ``TransitionNotAllowed`` unless the table allows ``from → to``."""
        if not self.allows(from_status, to_status):
            raise TransitionNotAllowed(
                self.refusal % {"from": self._label(from_status), "to": self._label(to_status)},
                code=self.code,
            )
