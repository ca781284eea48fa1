"""The Belgian national number (INSZ / rijksregisternummer) as a pure, testable rule.

Format: ``YYMMDD SSS CC`` (11 digits). ``CC = 97 - (YYMMDDSSS mod 97)`` for people born
before 2000; for people born in 2000 or later the number is prefixed with a ``2``:
``CC = 97 - (2YYMMDDSSS mod 97)``. The checksum is what tells the century.

BIS numbers (for people not in the national register) add 20 (gender unknown) or 40 (gender
known) to the month. A month or day of ``00`` means the birth date is (partly) unknown.
The sequence number is odd for men and even for women.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_NON_DIGITS = re.compile(r"[\s.\-/]")


class InszError(ValueError):
    """The value is not a valid INSZ; the message says why, in words a user understands, and
    ``code`` says it for programs: ``length``, ``checksum`` or ``birth_date``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Insz:
    digits: str
    birth_date: dt.date | None
    is_bis: bool
    sequence: int

    @property
    def formatted(self) -> str:
        d = self.digits
        return f"{d[0:2]}.{d[2:4]}.{d[4:6]}-{d[6:9]}.{d[9:11]}"

    @property
    def masked(self) -> str:
        return mask(self.digits)


def normalise(value: str) -> str:
    """Strip the usual separators (spaces, dots, dashes, slashes)."""
    return _NON_DIGITS.sub("", value or "")


def _check(base: int, check: int) -> bool:
    return 97 - (base % 97) == check


def parse(value: str) -> Insz:
    """Return the parsed number or raise ``InszError`` saying what is wrong."""
    digits = normalise(value)
    if not digits.isdigit() or len(digits) != 11:
        raise InszError(_("An INSZ has 11 digits (e.g. 85.07.30-033.28)."), "length")
    first9, check = int(digits[:9]), int(digits[9:])
    if _check(first9, check):
        century = 1900
    elif _check(2_000_000_000 + first9, check):
        century = 2000
    else:
        raise InszError(_("The check digits do not match: please check the number."), "checksum")

    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    is_bis = mm > 12
    if mm >= 40:
        mm -= 40
    elif mm >= 20:
        mm -= 20
    if mm > 12 or dd > 31:
        raise InszError(_("The first six digits are not a valid birth date."), "birth_date")
    sequence = int(digits[6:9])
    birth_date: dt.date | None = None
    if mm and dd:
        try:
            birth_date = dt.date(century + yy, mm, dd)
        except ValueError as exc:
            raise InszError(
                _("The first six digits are not a valid birth date."), "birth_date"
            ) from exc
    return Insz(digits=digits, birth_date=birth_date, is_bis=is_bis, sequence=sequence)


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InszError:
        return False
    return True


def mask(digits: str) -> str:
    """Show only the check digits, enough to tell two records apart in a list."""
    if len(digits) != 11:
        return "•" * 6
    return f"••.••.••-•••.{digits[9:11]}"


def make(birth_date: dt.date, sequence: int) -> str:
    """Build a valid INSZ for a birth date and sequence number (used by demo data and tests)."""
    if not 1 <= sequence <= 998:
        raise ValueError("sequence must be between 1 and 998")
    first9 = int(f"{birth_date:%y%m%d}{sequence:03d}")
    base = first9 + (2_000_000_000 if birth_date.year >= 2000 else 0)
    return f"{first9:09d}{97 - base % 97:02d}"
