"""The deadline of a data-subject request, as plain functions over dates.

GDPR art. 12(3): the controller answers "without undue delay and in any event within one month
of receipt of the request. That period may be extended by two further months where necessary,
taking into account the complexity and number of the requests"; the person is told of the
extension, with its reasons, within the first month.

The month is a calendar month (Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c), which the
EDPB applies in its Guidelines 01/2022 on the right of access): it ends on the same date a
month later, or on the last day of that month where the date does not exist there (31 January
→ 28 or 29 February). The two further months run from the end of the first: 31 January →
28 February → 28 April. Tandem does not move a deadline that falls on a Saturday, Sunday or
public holiday to the next working day (art. 3(4) of the same regulation would): the date it
shows is never later than the legal one, so a DPO who keeps to it is never late.
"""

from __future__ import annotations

import datetime as dt

from tandem.common.dates import add_months

RESPONSE_MONTHS = 1  # art. 12(3), first sentence
EXTENSION_MONTHS = 2  # art. 12(3), second sentence


def due_date(received_on: dt.date, *, extended: bool = False) -> dt.date:
    """The last day to answer a request received on ``received_on``."""
    first = add_months(received_on, RESPONSE_MONTHS)
    return add_months(first, EXTENSION_MONTHS) if extended else first


def is_overdue(received_on: dt.date, *, extended: bool, today: dt.date) -> bool:
    """Whether an open request received on ``received_on`` is past its due date today."""
    return due_date(received_on, extended=extended) < today


def may_extend(received_on: dt.date, *, extended: bool, today: dt.date) -> bool:
    """Whether the deadline may still be extended today: once, within the first month."""
    return not extended and today <= due_date(received_on)


def last_receipt_overdue(today: dt.date, *, extended: bool) -> dt.date:
    """The latest day of receipt whose request is overdue today: a request is overdue exactly
    when it was received on or before this day (the due date never falls as the day of receipt
    rises), so a list can filter overdue requests in the database."""
    months = RESPONSE_MONTHS + (EXTENSION_MONTHS if extended else 0)
    # Start a few days before the naive answer and walk forward while still overdue.
    day = add_months(today, -months) - dt.timedelta(days=5)
    while is_overdue(day + dt.timedelta(days=1), extended=extended, today=today):
        day += dt.timedelta(days=1)
    return day
