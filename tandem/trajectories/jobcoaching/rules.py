"""Job-coaching rules as pure functions over plain data (DESIGN.md habit 5, DOMAIN.md §2.6, §9).

Source 003: job coaching is for workers employed *less than one year*, *with the employer's
consent*, for *at most six months*. Every answer carries its reasons in plain words, so the
form can say why coaching cannot start. Durations are calendar months: a month after 31 August
is 30 September (the last day of a shorter month), never 1 October.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.translation import gettext as _

from tandem.common.dates import add_months

# Coaching may start while the job is younger than this many months ("less than one year").
JOB_AGE_LIMIT_MONTHS = 12
# Coaching lasts at most this many months from its start.
COACHING_MONTHS = 6
# Is the person still in the job at these months after the job start?
RETENTION_MONTHS = (1, 3, 6)


class Decision(NamedTuple):
    """A yes or no with the reasons for a no (unpacks as ``allowed, reasons``)."""

    allowed: bool
    reasons: list[str]


def job_age_limit(job_started_on: dt.date) -> dt.date:
    """Return the first day on which the job is one year old: coaching must start before it."""
    return add_months(job_started_on, JOB_AGE_LIMIT_MONTHS)


def coaching_ends_on(coaching_started_on: dt.date) -> dt.date:
    """Return the last day of a coaching that starts on ``coaching_started_on`` (+6 months)."""
    return add_months(coaching_started_on, COACHING_MONTHS)


def retention_due_dates(job_started_on: dt.date) -> dict[int, dt.date]:
    """Return the day each retention check is due, by month in the job (1, 3 and 6)."""
    return {month: add_months(job_started_on, month) for month in RETENTION_MONTHS}


def job_coaching_allowed(
    *,
    job_started_on: dt.date,
    coaching_started_on: dt.date,
    employer_consent_on: dt.date | None,
    coach_may_coach: bool,
    job_ended_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Decision:
    """May job coaching start on ``coaching_started_on`` for this job? With every reason why not.

    The job must have started, and less than one year before the coaching: a job that started
    on 10 March 2024 can be coached from a start up to 9 March 2025, not on 10 March 2025.
    ``coach_may_coach``: whether the chosen coach may be a job coach (the caller asks the
    capability ``jobcoaching.coach``: a job coach, or the mediator who coaches at the
    workplace). ``today``, when given, refuses a consent dated in the future.
    """
    reasons: list[str] = []
    if coaching_started_on < job_started_on:
        reasons.append(
            _("Coaching cannot start before the job starts (%(date)s).")
            % {"date": job_started_on.strftime("%d/%m/%Y")}
        )
    limit = job_age_limit(job_started_on)
    if coaching_started_on >= limit:
        reasons.append(
            _(
                "Job coaching is for workers employed less than one year. The job started on "
                "%(started)s, so coaching had to start before %(limit)s."
            )
            % {"started": job_started_on.strftime("%d/%m/%Y"), "limit": limit.strftime("%d/%m/%Y")}
        )
    if job_ended_on is not None and job_ended_on < coaching_started_on:
        reasons.append(
            _("The job ended on %(date)s, before the coaching would start.")
            % {"date": job_ended_on.strftime("%d/%m/%Y")}
        )
    if employer_consent_on is None:
        reasons.append(
            _("The employer's consent is not recorded. Job coaching needs the employer to agree.")
        )
    elif employer_consent_on > coaching_started_on:
        reasons.append(
            _(
                "The employer agreed on %(consent)s, after the coaching start (%(start)s). "
                "Coaching can only start once the employer has agreed."
            )
            % {
                "consent": employer_consent_on.strftime("%d/%m/%Y"),
                "start": coaching_started_on.strftime("%d/%m/%Y"),
            }
        )
    elif today is not None and employer_consent_on > today:
        reasons.append(
            _("The employer's consent is dated in the future: record it once it is given.")
        )
    if not coach_may_coach:
        reasons.append(_("The coach must be a job coach or a work-welfare mediator."))
    return Decision(not reasons, reasons)


def coaching_contact_allowed(
    *,
    coaching_started_on: dt.date,
    coaching_ends_on: dt.date,
    on: dt.date,
    closed_on: dt.date | None = None,
) -> Decision:
    """May a coaching contact be recorded on ``on``? Only within the coaching period."""
    reasons: list[str] = []
    if on < coaching_started_on:
        reasons.append(
            _("The coaching starts on %(date)s: a contact cannot lie before it.")
            % {"date": coaching_started_on.strftime("%d/%m/%Y")}
        )
    if on > coaching_ends_on:
        reasons.append(
            _(
                "Job coaching lasts at most six months: this coaching ended on %(date)s. "
                "A contact after that date is not job coaching."
            )
            % {"date": coaching_ends_on.strftime("%d/%m/%Y")}
        )
    elif closed_on is not None and on > closed_on:
        reasons.append(
            _("This coaching was closed on %(date)s.") % {"date": closed_on.strftime("%d/%m/%Y")}
        )
    return Decision(not reasons, reasons)
