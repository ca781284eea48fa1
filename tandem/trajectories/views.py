"""Views of the trajectory itself: start, the trajectory page, status, duo and hand-over,
experience-expert support and the caseload. The plan (goals, actions, contacts), measurement,
POP and job coaching have their own sub-packages; their parts of the trajectory page, and
group work's, are panels (``tandem.common.panels``, page "trajectory")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown, open_trajectory
from tandem.access.scope import can_write, is_duo, person_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.accounts.models import User
from tandem.common.flows import press, submit
from tandem.common.forms import confirm_step, is_confirmed
from tandem.common.lists import filters_of, page_of
from tandem.common.models import LifeDomain
from tandem.common.panels import panel_context
from tandem.registry.intake.selectors import taken_without_trajectory
from tandem.screening.models import Light, Screening
from tandem.screening.selectors import screening_get_for

from . import selectors, services
from .forms import (
    CaseloadFilterForm,
    DuoForm,
    ExpertLogForm,
    ExpertRequestForm,
    HandoverForm,
    ResponsibilityForm,
    StartForm,
    TransitionForm,
)
from .jobcoaching.views import coaching_caseload
from .models import ClosureReason, ExpertSupportStatus, Status, Trajectory

# Rows of the caseload per page: a mediator's whole caseload, an office's in a few pages.
CASELOAD_PAGE_SIZE = 50


def _detail_url(trajectory: Trajectory, anchor: str = "") -> str:
    return (
        reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
        + anchor
    )


@require_http_methods(["GET", "POST"])
@capability_required("trajectory.start")
def trajectory_start(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    """Start a trajectory; from a screening (?screening=<uuid>) its route is the default type."""
    person = person_get_for(request.user, person_id)
    screening: Screening | None = None
    screening_key = request.GET.get("screening") or request.POST.get("screening")
    if screening_key:
        screening = screening_get_for(request.user, screening_key)
        if screening.person_id != person.pk:
            raise PermissionDenied
    log_person_shown(request, person, what="trajectory start form")
    if request.method == "POST":
        form = StartForm(request.POST)
    else:
        form = StartForm(initial={"type": screening.route} if screening else None)
    if done := submit(
        request,
        form,
        lambda data: services.trajectory_start(
            acting_user=request.user,
            person=person,
            type=data["type"],
            start_date=data["start_date"],
            screening=screening,
            reason=data["reason"],
            project=data["project"],
            status=data["status"],
        ),
        message=_("The trajectory is started."),
        then=_detail_url,
    ):
        return done
    return render(
        request, "trajectories/start.html", {"form": form, "person": person, "screening": screening}
    )


def _page_context(user: User, trajectory: Trajectory) -> dict[str, Any]:
    writable = can_write(user, trajectory)
    context: dict[str, Any] = {
        "trajectory": trajectory,
        "person": trajectory.person,
        "status_changes": selectors.status_changes_of(trajectory),
        "handovers": selectors.handovers_of(trajectory),
        "expert_requests": selectors.expert_requests_of(trajectory),
        "can_write": writable,
        "is_duo": is_duo(user, trajectory),
        "can_request_expert": has_capability(user, "trajectory.request_expert"),
        "transition_form": TransitionForm(trajectory=trajectory) if writable else None,
        "expert_form": ExpertRequestForm(prefix="expert"),
    }
    # The parts of the sub-packages and other apps: the plan and contacts, measurement, POP,
    # job coaching, group work.
    context.update(panel_context("trajectory", user, trajectory))
    return context


def trajectory_page(
    request: AuthenticatedRequest, trajectory: Trajectory, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The trajectory page; ``forms`` replace its empty forms (a refused form is shown again
    with its errors, status 400)."""
    context = _page_context(request.user, trajectory)
    context.update(forms)
    return render(request, "trajectories/detail.html", context, status=status)


@require_GET
@capability_required("person.read")
def trajectory_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(
        request, public_id, what="trajectory", purpose=f"trajectory {public_id}"
    )
    return trajectory_page(request, trajectory)


@require_POST
@capability_required("person.read")
def trajectory_transition(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="trajectory status")
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    form = TransitionForm(request.POST, trajectory=trajectory)
    if (
        form.is_valid()
        and form.cleaned_data["to_status"] == Status.CLOSED
        and not is_confirmed(request)
    ):
        return _confirm_close(request, trajectory, form)
    if done := submit(
        request,
        form,
        lambda data: services.trajectory_transition(
            acting_user=request.user,
            trajectory=trajectory,
            to_status=data["to_status"],
            on=data["on"],
            reason=data["reason"],
            closure_reason=data["closure_reason"],
            qualification_gained=data["qualification_gained"],
        ),
        message=_("The status is changed."),
        then=_detail_url(trajectory),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, transition_form=form)


def _confirm_close(
    request: AuthenticatedRequest, trajectory: Trajectory, form: TransitionForm
) -> HttpResponse:
    """Closing cannot be undone: say what happens and what still runs, then ask again."""
    data = form.cleaned_data
    what = [
        _("The trajectory of %(name)s closes on %(date)s, because: %(reason)s.")
        % {
            "name": trajectory.person.full_name,
            "date": data["on"].strftime("%d/%m/%Y"),
            "reason": ClosureReason(data["closure_reason"]).label,
        },
        _(
            "A closed trajectory cannot be reopened: its plan, contacts and status stay as "
            "they are."
        ),
    ]
    if data["qualification_gained"]:
        what.append(_("It is recorded that the person leaves with a qualification."))
    url = reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id})
    return confirm_step(
        request,
        form=form,
        title=_("Close this trajectory?"),
        what=what,
        warnings=selectors.still_running(trajectory),
        warnings_title=_("Still running on this trajectory:"),
        warnings_help=_(
            "Closing the trajectory does not stop these. Close the job coaching and withdraw "
            "the referrals first, or let the coach and the receivers know."
        ),
        button=_("Close the trajectory"),
        action=reverse(
            "trajectories:trajectory_transition", kwargs={"public_id": trajectory.public_id}
        ),
        cancel_url=url,
        back_label=_("Trajectory"),
    )


@require_http_methods(["GET", "POST"])
@capability_required("person.read")
def trajectory_duo(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The duo: the welfare partner, who leads which life domain, and hand-over of the lead.
    The page has three forms; the posted ``form`` says which one is sent."""
    trajectory = open_trajectory(request, public_id, what="trajectory duo")
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    current = selectors.responsibility_sides(trajectory)
    has_partner = trajectory.welfare_partner_id is not None
    sent = request.POST.get("form") if request.method == "POST" else None
    duo_url = reverse("trajectories:trajectory_duo", kwargs={"public_id": trajectory.public_id})

    duo_form = DuoForm(
        *([request.POST] if sent == "partner" else []),
        initial={"partner": trajectory.welfare_partner_id},
        trajectory=trajectory,
    )
    if done := submit(
        request,
        duo_form,
        lambda data: services.trajectory_set_welfare_partner(
            acting_user=request.user, trajectory=trajectory, partner=data["partner"]
        ),
        message=_("The duo is saved."),
        then=duo_url,
    ):
        return done

    handover_form = HandoverForm(
        *([request.POST] if sent == "handover" else []), trajectory=trajectory
    )
    if done := submit(
        request,
        handover_form,
        lambda data: services.trajectory_hand_over(
            acting_user=request.user,
            trajectory=trajectory,
            to_user=data["to_user"],
            reason=data["reason"],
        ),
        message=_("The lead is handed over."),
        then=_detail_url(trajectory),
    ):
        return done

    def save_responsibilities(data: dict[str, Any]) -> None:
        for domain, side in data.items():
            if current.get(domain) != side:
                services.trajectory_set_responsibility(
                    acting_user=request.user, trajectory=trajectory, domain=domain, side=side
                )

    resp_form = ResponsibilityForm(
        *([request.POST] if sent == "responsibilities" else []),
        current=current,
        has_partner=has_partner,
    )
    if done := submit(
        request,
        resp_form,
        save_responsibilities,
        message=_("The responsibilities are saved."),
        then=duo_url,
    ):
        return done
    return render(
        request,
        "trajectories/duo.html",
        {
            "trajectory": trajectory,
            "person": trajectory.person,
            "duo_form": duo_form,
            "handover_form": handover_form,
            "resp_form": resp_form,
        },
    )


@require_POST
@capability_required("trajectory.request_expert")
def expert_request(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="experience-expert request")
    form = ExpertRequestForm(request.POST, prefix="expert")
    if done := submit(
        request,
        form,
        lambda data: services.expert_support_request(
            acting_user=request.user, trajectory=trajectory, question=data["question"]
        ),
        message=_("Support from an experience expert is asked."),
        then=_detail_url(trajectory, "#expert-title"),
    ):
        return done
    return trajectory_page(request, trajectory, status=400, expert_form=form)


@require_http_methods(["GET", "POST"])
@capability_required("trajectory.respond_as_expert")
def expert_request_respond(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """An experience expert accepts or declines a request, then logs what they did."""
    support = selectors.expert_request_get_for(request.user, request_id)
    log_person_shown(request, support.trajectory.person, what="experience-expert request")
    here = reverse("trajectories:expert_request_respond", kwargs={"request_id": support.pk})
    if request.method == "POST" and ("accept" in request.POST or "decline" in request.POST):
        # A request answered meanwhile (by another expert, or a second click) is refused with
        # a message above the page as it is now.
        return press(
            request,
            lambda: services.expert_support_respond(
                acting_user=request.user, request=support, accept="accept" in request.POST
            ),
            message=_("Your answer is saved."),
            then=here,
        )
    if request.method == "POST":
        log_form = ExpertLogForm(request.POST)
    else:
        log_form = ExpertLogForm(initial={"on": timezone.localdate()})
    if done := submit(
        request,
        log_form,
        lambda data: services.expert_support_log(
            acting_user=request.user,
            request=support,
            on=data["on"],
            text=data["text"],
            done=data["done"],
        ),
        message=_("Your support is logged."),
        then=here,
    ):
        return done
    return render(
        request,
        "trajectories/expert_request.html",
        {
            "support": support,
            "person": support.trajectory.person,
            "log_form": log_form,
            "logs": list(support.logs.all()),
            "can_answer": support.status == ExpertSupportStatus.REQUESTED,
            "can_log": support.status == ExpertSupportStatus.ACCEPTED
            and support.expert_id == request.user.pk,
        },
    )


@require_GET
@capability_required("caseload.view")
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    """Every open trajectory of the user (or their office), with what needs attention; a job
    coach's caseload is the people they coach (``jobcoaching.views.coaching_caseload``)."""
    if not has_capability(request.user, "trajectory.caseload"):
        return coaching_caseload(request)
    data = request.GET.copy()
    if "sort" not in data:
        data["sort"] = "name"
    if not set(request.GET) - {"page"}:  # the first visit, or a page of it: my own
        data["mine"] = "on"
    form = CaseloadFilterForm(data)
    # A refused filter (an unknown choice) is shown on its field and left out; the rest apply.
    filters = filters_of(form)
    today = timezone.localdate()
    qs = selectors.caseload_for(
        request.user,
        status=filters.get("status") or "",
        type=filters.get("type") or "",
        mine=bool(filters.get("mine")),
        sort=filters.get("sort") or "name",
        no_contact_days=int(filters["no_contact"]) if filters.get("no_contact") else None,
        today=today,
    )
    # Bounded by nature (issue 20): one organisation's trajectories, sorted by name or dates
    # that may be empty; a keyset cursor would carry a name into the URL. Page numbers stay.
    page = page_of(qs, request.GET, per_page=CASELOAD_PAGE_SIZE)
    rows = []
    for t in page.object_list:
        days = (today - t.last_contact_on).days if t.last_contact_on else None
        rows.append(
            {
                "t": t,
                "lights": [
                    (d.value, d.label, (t.lights or {}).get(d.value, {}).get("light", ""))
                    for d in LifeDomain
                ],
                "days_since_contact": days,
                "contact_overdue": days is None or days > 30,
                "next_contact_late": bool(t.next_contact_on and t.next_contact_on < today),
            }
        )
    log_persons_shown(request, [t.person for t in page.object_list], what="caseload")
    # Persons taken from the office's intake queue for the user, until a trajectory starts.
    new_intakes = list(taken_without_trajectory(request.user))
    log_persons_shown(request, [i.person for i in new_intakes], what="caseload: new intakes")
    return render(
        request,
        "trajectories/caseload.html",
        {
            "new_intakes": new_intakes,
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "light_labels": dict(Light.choices),
            "page_size": settings.TANDEM_PAGE_SIZE,
        },
    )
