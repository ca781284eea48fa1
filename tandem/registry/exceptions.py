from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .models import Person


class PossibleDuplicate(Exception):
    """Persons with the same name and birth date exist; the user must look before creating."""

    def __init__(self, candidates: list[Person]) -> None:
        super().__init__("possible duplicate")
        self.candidates = candidates


class DuplicateInsz(ValidationError):
    """The national number is already registered: a second file would split a life in two."""
