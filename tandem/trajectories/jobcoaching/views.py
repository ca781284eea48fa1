"""Pages of work after the trajectory: the jobs with their coaching and retention checks, and
the forms to record a job start (with a new employer if needed), start job coaching (saying
in plain words why the rules refuse it), record coaching contacts, retention checks and the
end of a job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.log import log_person_shown, log_persons_shown, open_trajectory
from tandem.access.scope import trajectory_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit
from tandem.common.forms import add_service_errors

from ..exceptions import JobCoachingRefused
from ..forms import errors_renamed
from ..models import JobStart, Trajectory
from . import rules, selectors, services
from .forms import (
    CoachingContactForm,
    JobCoachingForm,
    JobEndForm,
    JobStartForm,
    RetentionCheckForm,
)


def _overview_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:job_overview", kwargs={"public_id": trajectory.public_id})


def _redirect_overview(trajectory: Trajectory) -> HttpResponse:
    return redirect(_overview_url(trajectory))


def _form_response(
    request: AuthenticatedRequest, template: str, context: dict[str, Any], *, bound: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if bound else 200)


@require_GET
@capability_required("person.read")
def job_overview(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Every job of the trajectory with its coaching, contacts and retention checks."""
    trajectory = open_trajectory(request, public_id, what="jobs and job coaching")
    jobs = selectors.job_starts_of(trajectory)
    can_record = services.can_record_job(request.user, trajectory)
    rows = []
    for job in jobs:
        coaching = getattr(job, "coaching", None)
        rows.append(
            {
                "job": job,
                "coaching": coaching,
                "can_follow_up": coaching is not None
                and services.can_follow_up_coaching(request.user, coaching),
            }
        )
    return render(
        request,
        "trajectories/jobcoaching/job_overview.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "rows": rows,
            "can_record": can_record,
            "today": timezone.localdate(),
        },
    )


def coaching_caseload(request: AuthenticatedRequest) -> HttpResponse:
    """A job coach's caseload (reached through ``trajectories:caseload``, issue 18): the people
    they coach, with job, employer, coaching end and the next retention check, the most urgent
    first; every person shown is logged."""
    today = timezone.localdate()
    # Bounded by nature (issue 20): the persons one job coach coaches; page numbers stay.
    page = Paginator(selectors.coachings_of(request.user, today), 50).get_page(
        request.GET.get("page")
    )
    log_persons_shown(
        request,
        [c.job_start.trajectory.person for c in page.object_list],
        what="job coaching caseload",
    )
    return render(
        request,
        "trajectories/jobcoaching/caseload.html",
        {"page": page, "coachings": page.object_list, "today": today},
    )


# The job-start form's fields for what the services name otherwise (the new employer's name
# and municipality, the date of the status change); the status itself is not on the form.
JOB_START_FIELDS = {
    "name": "new_employer_name",
    "municipality": "new_employer_municipality",
    "on": "started_on",
    "to_status": None,
}


@require_http_methods(["GET", "POST"])
@capability_required("jobcoaching.record_job")
def job_start_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="job start form")
    if not services.can_record_job(request.user, trajectory):
        return _redirect_overview(trajectory)
    employers = selectors.employers()
    if request.method == "POST":
        form = JobStartForm(request.POST, employers=employers)
    else:
        form = JobStartForm(employers=employers, initial={"started_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> JobStart:
        try:
            # A new employer and the job start are saved together or not at all.
            with transaction.atomic():
                employer = data["employer"]
                if employer is None:
                    employer = services.employer_create(
                        acting_user=request.user,
                        name=data["new_employer_name"],
                        municipality=data["new_employer_municipality"],
                    )
                return services.job_start_record(
                    acting_user=request.user,
                    trajectory=trajectory,
                    employer=employer,
                    started_on=data["started_on"],
                    contract_type=data["contract_type"],
                    job_title=data["job_title"],
                )
        except ValidationError as exc:
            raise errors_renamed(exc, JOB_START_FIELDS) from exc

    if done := submit(
        request, form, save, message=_("The job start is saved."), then=_overview_url(trajectory)
    ):
        return done
    return _form_response(
        request,
        "trajectories/jobcoaching/job_start_form.html",
        {"trajectory": trajectory, "person": trajectory.person, "form": form},
        bound=form.is_bound,
    )


@require_http_methods(["GET", "POST"])
@capability_required("jobcoaching.record_job")
def job_coaching_start(
    request: AuthenticatedRequest, public_id: str, job_start_id: int
) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    job_start = selectors.job_start_get(trajectory, job_start_id)
    log_person_shown(request, trajectory.person, what="job coaching form")
    if not services.can_record_job(request.user, trajectory):
        return _redirect_overview(trajectory)
    coaches = selectors.coach_candidates(trajectory)
    refusal: list[str] = []
    if request.method == "POST":
        form = JobCoachingForm(request.POST, coaches=coaches)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.job_coaching_start(
                    acting_user=request.user,
                    job_start=job_start,
                    coach=data["coach"],
                    employer_consent_on=data["employer_consent_on"],
                    started_on=data["started_on"],
                )
            except JobCoachingRefused as exc:
                refusal = exc.messages
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Job coaching is started."))
                return _redirect_overview(trajectory)
    else:
        form = JobCoachingForm(coaches=coaches)
    return _form_response(
        request,
        "trajectories/jobcoaching/job_coaching_form.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "job": job_start,
            "form": form,
            "refusal": refusal,
            "age_limit": rules.job_age_limit(job_start.started_on),
            "has_coaching": getattr(job_start, "coaching", None) is not None,
        },
        bound=form.is_bound,
    )


@require_http_methods(["GET", "POST"])
@capability_required("jobcoaching.follow_up")
def coaching_contact_create(
    request: AuthenticatedRequest, public_id: str, coaching_id: int
) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    coaching = selectors.coaching_get(trajectory, coaching_id)
    log_person_shown(request, trajectory.person, what="coaching contact form")
    if not services.can_follow_up_coaching(request.user, coaching):
        return _redirect_overview(trajectory)
    form = CoachingContactForm(request.POST) if request.method == "POST" else CoachingContactForm()
    if done := submit(
        request,
        form,
        lambda data: services.coaching_contact_record(
            acting_user=request.user, coaching=coaching, **data
        ),
        message=_("The coaching contact is saved."),
        then=_overview_url(trajectory),
    ):
        return done
    return _form_response(
        request,
        "trajectories/jobcoaching/coaching_contact_form.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "coaching": coaching,
            "job": coaching.job_start,
            "form": form,
        },
        bound=form.is_bound,
    )


@require_http_methods(["GET", "POST"])
@capability_required("jobcoaching.follow_up")
def retention_check_record(
    request: AuthenticatedRequest, public_id: str, check_id: int
) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    check = selectors.retention_check_get(trajectory, check_id)
    log_person_shown(request, trajectory.person, what="retention check form")
    if not services.can_check_retention(request.user, check.job_start):
        return _redirect_overview(trajectory)
    if request.method == "POST":
        form = RetentionCheckForm(request.POST)
    else:
        initial: dict[str, Any] = {}
        if check.checked_on is not None:
            initial = {
                "checked_on": check.checked_on,
                "still_employed": "yes" if check.still_employed else "no",
                "note": check.note,
            }
        form = RetentionCheckForm(initial=initial)
    if done := submit(
        request,
        form,
        lambda data: services.retention_check_record(acting_user=request.user, check=check, **data),
        message=_("The retention check is saved."),
        then=_overview_url(trajectory),
    ):
        return done
    return _form_response(
        request,
        "trajectories/jobcoaching/retention_check_form.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "check": check,
            "job": check.job_start,
            "form": form,
        },
        bound=form.is_bound,
    )


@require_http_methods(["GET", "POST"])
@capability_required("jobcoaching.record_job")
def job_end_record(
    request: AuthenticatedRequest, public_id: str, job_start_id: int
) -> HttpResponse:
    trajectory = trajectory_get_for(request.user, public_id)
    job_start = selectors.job_start_get(trajectory, job_start_id)
    log_person_shown(request, trajectory.person, what="job end form")
    if not services.can_record_job(request.user, trajectory) or job_start.ended_on is not None:
        return _redirect_overview(trajectory)
    form = JobEndForm(request.POST) if request.method == "POST" else JobEndForm()

    def save(data: dict[str, Any]) -> JobStart:
        try:
            return services.job_end_record(acting_user=request.user, job_start=job_start, **data)
        except ValidationError as exc:
            # The status change back to active is dated on the job's end.
            raise errors_renamed(exc, {"on": "ended_on"}) from exc

    if done := submit(
        request,
        form,
        save,
        message=_("The end of the job is saved."),
        then=_overview_url(trajectory),
    ):
        return done
    return _form_response(
        request,
        "trajectories/jobcoaching/job_end_form.html",
        {"trajectory": trajectory, "person": trajectory.person, "job": job_start, "form": form},
        bound=form.is_bound,
    )
