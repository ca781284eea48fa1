"""The agenda (issue 18): a week of the user's planned contacts and the group sessions they
coach, one ISO week at a time, and a printable day list for home visits (a PDF).

Every person shown writes an access-log row; the week costs a constant number of queries (one
for the contacts, one for the sessions, one for the log)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.pdf import render_pdf
from tandem.registry.models import Person
from tandem.trajectories.models import Contact
from tandem.trajectories.plan.forms import ContactStatusForm

from . import selectors


def _persons(contacts: list[Contact]) -> list[Person]:
    """Each person once, in the order first shown."""
    seen: dict[int, Person] = {}
    for c in contacts:
        person = c.trajectory.person
        seen.setdefault(person.pk, person)
    return list(seen.values())


@require_GET
@capability_required("agenda.view")
def agenda(request: AuthenticatedRequest) -> HttpResponse:
    """The week (``?week=2026-W50``; this week by default) day by day, today marked."""
    today = timezone.localdate()
    monday = selectors.parse_week(request.GET.get("week"), today)
    days = selectors.agenda_week(request.user, monday)
    contacts = [i.contact for d in days for i in d.items if i.contact is not None]
    if contacts:
        log_persons_shown(request, _persons(contacts), what="agenda", purpose="planning contacts")
    for c in contacts:
        if c.is_planned:
            c.status_form = ContactStatusForm(prefix=f"contact{c.pk}")  # type: ignore[attr-defined]
    return render(
        request,
        "home/agenda.html",
        {
            "days": days,
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "week": selectors.week_label(monday),
            "week_number": monday.isocalendar()[1],
            "previous_week": selectors.week_label(monday - dt.timedelta(days=7)),
            "next_week": selectors.week_label(monday + dt.timedelta(days=7)),
            "this_week": selectors.week_label(selectors.week_start(today)),
            "is_this_week": monday == selectors.week_start(today),
            "today": today,
        },
    )


@require_GET
@capability_required("agenda.view")
def day_list_pdf(request: AuthenticatedRequest, day: dt.date) -> HttpResponse:
    """The day's planned contacts as a PDF to take along: time, person, address (home visits),
    phone, kind, place and purpose; no notes. The file name holds only the date."""
    on = day
    contacts = selectors.day_list(request.user, on)
    if contacts:
        log_persons_shown(
            request, _persons(contacts), what="agenda: day list PDF", purpose="home visits"
        )
    pdf = render_pdf(
        "home/agenda_day_pdf.html",
        {
            "day": on,
            "rows": [(c, selectors.is_home_visit(c)) for c in contacts],
            "printed_at": timezone.localtime(),
        },
        request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{on:%Y%m%d}.pdf"'
    return response
