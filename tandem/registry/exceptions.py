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
    """The national number cannot be registered: it is already registered (a second file would
    split a life in two).

    ``person`` is the person who has the number, set only when the acting user may see that
    person (the page then links to the file and logs the read); for anyone else it is ``None``
    and the message says no more than that the number cannot be registered here."""

    def __init__(self, message: str, *, person: Person | None = None) -> None:
        super().__init__({"insz": ValidationError(message, code="duplicate_insz")})
        self.person = person


class TooManyInszRefusals(ValidationError):
    """The user had too many national numbers refused in the last hour
    (``TANDEM_INSZ_REFUSALS_PER_HOUR``): no number is looked up for them until the hour has
    passed, so the form cannot be used to test numbers one after another."""

    def __init__(self, message: str) -> None:
        super().__init__({"insz": ValidationError(message, code="too_many_insz_refusals")})
