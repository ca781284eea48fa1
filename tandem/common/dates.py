"""Date rules of the domain, shared by the apps."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def quarter_of(day: dt.date) -> str:
    """The calendar quarter holding ``day``, as "2021 Q3"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month:
    31 January + 1 month = 28 (or 29) February; 31 August + 6 months = 28/29 February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Dates that can be true ---------------------------------------------------------------
#
# A date typed or imported must lie where the domain's dates can lie; year 1 or 9999 is a
# typing slip, never a fact. The bounds are written down here once and used by every date field
# on a form (the fields below), by the imports (outcomes.importing) and by the model fields
# the admin shows. Tandem's oldest real data are ESF calls and projects from 2014-2020 and
# legacy trajectories from 2016-2018; 2000 leaves room for older labour-market histories.
# A person can be entered with a birth date from 1900 (the oldest living people were born
# after 1900) up to today. Events may be planned at most a year ahead (a next contact, a due
# date, a group's first session); programme periods (a call, a project) up to ten years.

EARLIEST_EVENT = dt.date(2000, 1, 1)
EVENT_DAYS_AHEAD = 366
EARLIEST_BIRTH = dt.date(1900, 1, 1)
PERIOD_YEARS_AHEAD = 10


class DateKind(enum.Enum):
    EVENT = "event"  # something that happened or is planned in a person's file or a group
    BIRTH = "birth"  # a person's birth date
    PERIOD = "period"  # a programme's period: a call, a project, a report period


def date_bounds(kind: DateKind, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest plausible date of ``kind``, both inclusive."""
    today = today or timezone.localdate()
    if kind is DateKind.BIRTH:
        return EARLIEST_BIRTH, today
    if kind is DateKind.PERIOD:
        return EARLIEST_EVENT, add_months(today, 12 * PERIOD_YEARS_AHEAD)
    return EARLIEST_EVENT, today + dt.timedelta(days=EVENT_DAYS_AHEAD)


def implausible_date(day: dt.date, kind: DateKind, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be a date of ``kind`` (a sentence for the person), or None if it can."""
    earliest, latest = date_bounds(kind, today)
    if earliest <= day <= latest:
        return None
    shown = {
        "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
        "earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT"),
        "latest": formats.date_format(latest, "SHORT_DATE_FORMAT"),
    }
    if kind is DateKind.BIRTH:
        if day > latest:
            return _("%(day)s lies in the future; a birth date cannot.") % shown
        return _("%(day)s is too long ago; a birth date lies from %(earliest)s on.") % shown
    return _("%(day)s cannot be right: enter a date from %(earliest)s to %(latest)s.") % shown


def _check(value: dt.date | None, kind: DateKind) -> None:
    message = implausible_date(value, kind) if value is not None else None
    if message:
        raise ValidationError(message, code="implausible_date")


def validate_event_date(value: dt.date | None) -> None:
    _check(value, DateKind.EVENT)


def validate_birth_date(value: dt.date | None) -> None:
    _check(value, DateKind.BIRTH)


def validate_period_date(value: dt.date | None) -> None:
    _check(value, DateKind.PERIOD)


VALIDATORS = {
    DateKind.EVENT: validate_event_date,
    DateKind.BIRTH: validate_birth_date,
    DateKind.PERIOD: validate_period_date,
}


class DateInput(forms.DateInput):
    """The browser's date picker, limited to the plausible dates of its kind (drawn when the
    page is drawn, so "today" is today); the server checks the same bounds."""

    input_type = "date"

    def __init__(self, kind: DateKind = DateKind.EVENT, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.kind = kind

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        earliest, latest = date_bounds(self.kind)
        bounded = {"min": earliest.isoformat(), "max": latest.isoformat(), **(attrs or {})}
        return super().get_context(name, value, bounded)


class _PlausibleDateField(forms.DateField):
    kind = DateKind.EVENT

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput(self.kind))
        super().__init__(**kwargs)
        self.validators.append(VALIDATORS[self.kind])


class EventDateField(_PlausibleDateField):
    """A date in a person's file, a group's life or a list filter: 2000 to a year ahead."""

    kind = DateKind.EVENT


class BirthDateField(_PlausibleDateField):
    """A birth date: 1900 to today."""

    kind = DateKind.BIRTH


class PeriodDateField(_PlausibleDateField):
    """A programme or report period's date: 2000 to ten years ahead."""

    kind = DateKind.PERIOD


class PeriodForm(forms.Form):
    """A period as ``?from=&to=`` (both days count): the ESF+ indicators' and the figures'
    pages. A page that counts something else labels the two fields its own way."""

    date_from = PeriodDateField(label=gettext_lazy("From"))
    date_to = PeriodDateField(label=gettext_lazy("To (inclusive)"))

    NAMES = {"date_from": "from", "date_to": "to"}

    def add_prefix(self, field_name: str) -> str:
        return self.NAMES.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data
