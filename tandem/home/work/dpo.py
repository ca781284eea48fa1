"""The data-protection officer's work on the home page (issue 18): the data-subject requests of
their organisation waiting for an answer, overdue first, then by due date (the due date is
derived from the day of receipt, ``tandem.privacy.requests.rules``). One scoped query
(``tandem.privacy.requests.selectors.requests_waiting``); every person shown is logged with the
purpose "data protection"."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.audit.models import Purpose
from tandem.privacy.requests.selectors import requests_waiting

LIMIT = 10


def subject_requests(request: AuthenticatedRequest) -> dict[str, Any]:
    """The first ``LIMIT`` open requests, the most urgent first, and how many more wait."""
    today = timezone.localdate()
    waiting = requests_waiting(request.user, today)
    rows = waiting[:LIMIT]
    for row in rows:
        row.is_overdue = row.overdue_on(today)  # type: ignore[attr-defined]
    shown = [r.person for r in rows if r.person.first_name]
    if shown:
        log_persons_shown(
            request,
            shown,
            what="home: data-subject requests",
            purpose=Purpose.DATA_PROTECTION,
        )
    return {
        "dpo_requests": {
            "rows": rows,
            "more": len(waiting) - len(rows),
            "overdue": sum(r.overdue_on(today) for r in waiting),
        }
    }
