"""The intake queue on the home page: a mediator's office queue (waiting items, urgent first,
how many working days each waits and whether it waits too long) and the persons taken for them
that have no trajectory yet; a service line's or outreach worker's own referrals with what the
office did. Each list is one scoped query (``tandem.registry.intake.selectors``); every person
shown writes its access-log row."""

from __future__ import annotations

from typing import Any

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.registry.intake.selectors import annotate_waiting, flag_after, queue_for, sent_by

LIMIT = 10


def intake_queue(request: AuthenticatedRequest) -> dict[str, Any]:
    """The office's waiting items (the first ``LIMIT``, urgent and longest-waiting first)."""
    items = annotate_waiting(queue_for(request.user)[:LIMIT])
    if items:
        log_persons_shown(request, [i.person for i in items], what="home: intake queue")
    return {"intake_items": items, "intake_flag_after": flag_after()}


def my_referrals(request: AuthenticatedRequest) -> dict[str, Any]:
    """The user's latest referrals to an office and whether the office took them."""
    items = annotate_waiting(sent_by(request.user)[:LIMIT])
    if items:
        log_persons_shown(request, [i.person for i in items], what="home: my referrals")
    return {"my_referrals": items}
