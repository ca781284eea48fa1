"""Views of the trajectory core: start, the trajectory page, status, duo, plan, contacts,
experience-expert support and the caseload. Measurement, POP and job coaching have their own
views modules and panels on the trajectory page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown, open_trajectory
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.forms import add_service_errors, confirm_step, is_confirmed
from tandem.common.models import LifeDomain
from tandem.registry.selectors import person_get_for
from tandem.screening.models import Light, Screening
from tandem.screening.selectors import screening_get_for

from . import panels_jobcoaching, panels_measurement, panels_pop, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    CaseloadFilterForm,
    ContactForm,
    DuoForm,
    ExpertLogForm,
    ExpertRequestForm,
    GoalForm,
    HandoverForm,
    ResponsibilityForm,
    StartForm,
    TransitionForm,
)
from .models import (
    Action,
    ClosureReason,
    ExpertSupportRequest,
    ExpertSupportStatus,
    Goal,
    Status,
    Trajectory,
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
        if form.is_valid():
            try:
                trajectory = services.trajectory_start(
                    acting_user=request.user,
                    person=person,
                    type=form.cleaned_data["type"],
                    start_date=form.cleaned_data["start_date"],
                    screening=screening,
                    reason=form.cleaned_data["reason"],
                    project=form.cleaned_data["project"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The trajectory is started."))
                return redirect("trajectories:trajectory_detail", public_id=trajectory.public_id)
    else:
        form = StartForm(initial={"type": screening.route} if screening else None)
    return render(
        request, "trajectories/start.html", {"form": form, "person": person, "screening": screening}
    )


def _trajectory_context(request: AuthenticatedRequest, trajectory: Trajectory) -> dict[str, Any]:
    user = request.user
    goals = list(
        trajectory.goals.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("status", "due_on", "pk"))
        )
    )
    labels = dict(LifeDomain.choices)
    responsibilities = {r.domain: r for r in trajectory.responsibilities.all()}
    latest_screening = (
        Screening.objects.filter(person=trajectory.person)
        .order_by("-conducted_on", "-created_at")
        .first()
    )
    lights = latest_screening.lights if latest_screening else {}
    today = timezone.localdate()
    visible = selectors.domains_visible_to(user, trajectory)
    hidden_domains = [labels[d.value] for d in LifeDomain if d.value not in visible]
    goals = [g for g in goals if g.domain in visible]
    domains = []
    for domain in LifeDomain:
        domain_goals = [g for g in goals if g.domain == domain.value]
        r = responsibilities.get(domain.value)
        domains.append(
            {
                "code": domain.value,
                "label": labels[domain.value],
                "goals": domain_goals,
                "side": r.get_side_display() if r else "",
                "light": lights.get(domain.value, {}).get("light", ""),
            }
        )
    writable = selectors.can_write(user, trajectory)
    context: dict[str, Any] = {
        "trajectory": trajectory,
        "person": trajectory.person,
        "domains": domains,
        "has_goals": bool(goals),
        "hidden_domains": hidden_domains,
        "today": today,
        "status_changes": list(trajectory.status_changes.select_related("by")),
        "handovers": list(trajectory.handovers.select_related("from_user", "to_user")),
        "contacts": list(selectors.contacts_visible_to(user, trajectory)[:30]),
        "expert_requests": list(
            trajectory.expert_requests.select_related("expert", "requested_by").prefetch_related(
                "logs"
            )
        ),
        "can_write": writable,
        "is_duo": selectors.is_duo(user, trajectory),
        "can_request_expert": has_capability(user, "trajectory.request_expert"),
        "transition_form": TransitionForm(trajectory=trajectory) if writable else None,
        # Prefixed: several forms on one page must not share field ids.
        "goal_form": GoalForm(prefix="goal"),
        "action_form": ActionForm(),
        "contact_form": ContactForm(prefix="contact"),
        "expert_form": ExpertRequestForm(prefix="expert"),
        "light_labels": dict(Light.choices),
    }
    from tandem.groupwork import panels as panels_groupwork

    for panel in (panels_measurement, panels_pop, panels_jobcoaching, panels_groupwork):
        context.update(panel.panel_context(user, trajectory))
    return context


@require_GET
@capability_required("person.read")
def trajectory_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = selectors.trajectory_get_for(request.user, public_id)
    log_person_shown(
        request,
        trajectory.person,
        what="trajectory",
        purpose=f"trajectory {trajectory.public_id}",
    )
    return render(request, "trajectories/detail.html", _trajectory_context(request, trajectory))


def _rerender(request: AuthenticatedRequest, trajectory: Trajectory, **forms: Any) -> HttpResponse:
    context = _trajectory_context(request, trajectory)
    context.update(forms)
    return render(request, "trajectories/detail.html", context, status=400)


@require_POST
@capability_required("person.read")
def trajectory_transition(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="trajectory status")
    if not selectors.can_write(request.user, trajectory):
        raise PermissionDenied
    form = TransitionForm(request.POST, trajectory=trajectory)
    if form.is_valid():
        if form.cleaned_data["to_status"] == Status.CLOSED and not is_confirmed(request):
            return _confirm_close(request, trajectory, form)
        try:
            services.trajectory_transition(
                acting_user=request.user,
                trajectory=trajectory,
                to_status=form.cleaned_data["to_status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                closure_reason=form.cleaned_data["closure_reason"],
                qualification_gained=form.cleaned_data["qualification_gained"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("trajectories:trajectory_detail", public_id=trajectory.public_id)
    return _rerender(request, trajectory, transition_form=form)


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
    """The duo: the welfare partner, who leads which life domain, and hand-over of the lead."""
    trajectory = open_trajectory(request, public_id, what="trajectory duo")
    if not selectors.can_write(request.user, trajectory):
        raise PermissionDenied
    current = {r.domain: r.side for r in trajectory.responsibilities.all()}
    duo_form = DuoForm(initial={"partner": trajectory.welfare_partner_id}, trajectory=trajectory)
    handover_form = HandoverForm(trajectory=trajectory)
    resp_form = ResponsibilityForm(
        current=current, has_partner=trajectory.welfare_partner_id is not None
    )
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "partner":
                duo_form = DuoForm(request.POST, trajectory=trajectory)
                if duo_form.is_valid():
                    services.trajectory_set_welfare_partner(
                        acting_user=request.user,
                        trajectory=trajectory,
                        partner=duo_form.cleaned_data["partner"],
                    )
                    messages.success(request, _("The duo is saved."))
                    return redirect("trajectories:trajectory_duo", public_id=public_id)
            elif action == "handover":
                handover_form = HandoverForm(request.POST, trajectory=trajectory)
                if handover_form.is_valid():
                    services.trajectory_hand_over(
                        acting_user=request.user,
                        trajectory=trajectory,
                        to_user=handover_form.cleaned_data["to_user"],
                        reason=handover_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The lead is handed over."))
                    return redirect("trajectories:trajectory_detail", public_id=public_id)
            elif action == "responsibilities":
                resp_form = ResponsibilityForm(
                    request.POST,
                    current=current,
                    has_partner=trajectory.welfare_partner_id is not None,
                )
                if resp_form.is_valid():
                    for domain, side in resp_form.cleaned_data.items():
                        if current.get(domain) != side:
                            services.trajectory_set_responsibility(
                                acting_user=request.user,
                                trajectory=trajectory,
                                domain=domain,
                                side=side,
                            )
                    messages.success(request, _("The responsibilities are saved."))
                    return redirect("trajectories:trajectory_duo", public_id=public_id)
        except ValidationError as exc:
            target = {"partner": duo_form, "handover": handover_form}.get(action or "", resp_form)
            add_service_errors(target, exc)
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
@capability_required("person.read")
def goal_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="plan goal")
    form = GoalForm(request.POST, prefix="goal")
    if form.is_valid():
        try:
            services.goal_create(
                acting_user=request.user,
                trajectory=trajectory,
                domain=form.cleaned_data["domain"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The goal is added."))
            return redirect(f"/trajectories/{public_id}/#plan-title")
    return _rerender(request, trajectory, goal_form=form)


@require_POST
@capability_required("person.read")
def action_create(request: AuthenticatedRequest, public_id: str, goal_id: int) -> HttpResponse:
    trajectory = selectors.trajectory_get_for(request.user, public_id)
    goal = get_object_or_404(Goal, pk=goal_id, trajectory=trajectory)
    log_person_shown(request, trajectory.person, what="plan action")
    form = ActionForm(request.POST, prefix=f"goal{goal.pk}")
    if form.is_valid():
        try:
            services.action_create(
                acting_user=request.user,
                goal=goal,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action is added."))
            return redirect(f"/trajectories/{public_id}/#goal-{goal.pk}")
    return _rerender(request, trajectory, action_form=form, action_form_goal=goal.pk)


@require_POST
@capability_required("person.read")
def action_update(request: AuthenticatedRequest, public_id: str, action_id: int) -> HttpResponse:
    trajectory = selectors.trajectory_get_for(request.user, public_id)
    action = get_object_or_404(
        Action.objects.select_related("goal__trajectory"), pk=action_id, goal__trajectory=trajectory
    )
    log_person_shown(request, trajectory.person, what="plan action")
    form = ActionStatusForm(request.POST, prefix=f"action{action.pk}")
    if form.is_valid():
        try:
            services.action_set_status(
                acting_user=request.user,
                action=action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action is updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(f"/trajectories/{public_id}/#goal-{action.goal_id}")


@require_POST
@capability_required("person.read")
def contact_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="contact")
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.contact_record(
                acting_user=request.user,
                trajectory=trajectory,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["on"],
                place=form.cleaned_data["place"],
                domain=form.cleaned_data["domain"],
                text=form.cleaned_data["text"],
                next_contact_on=form.cleaned_data["next_contact_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect(f"/trajectories/{public_id}/#contacts-title")
    return _rerender(request, trajectory, contact_form=form)


@require_POST
@capability_required("trajectory.request_expert")
def expert_request(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="experience-expert request")
    form = ExpertRequestForm(request.POST, prefix="expert")
    if form.is_valid():
        try:
            services.expert_support_request(
                acting_user=request.user,
                trajectory=trajectory,
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Support from an experience expert is asked."))
            return redirect(f"/trajectories/{public_id}/#expert-title")
    return _rerender(request, trajectory, expert_form=form)


@require_http_methods(["GET", "POST"])
@capability_required("trajectory.respond_as_expert")
def expert_request_respond(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """An experience expert accepts or declines a request, then logs what they did."""
    visible = selectors.trajectory_queryset_for(request.user)
    support = get_object_or_404(
        ExpertSupportRequest.objects.select_related("trajectory__person", "requested_by"),
        pk=request_id,
        trajectory__in=visible,
    )
    log_person_shown(request, support.trajectory.person, what="experience-expert request")
    log_form = ExpertLogForm(initial={"on": timezone.localdate()})
    if request.method == "POST":
        try:
            if "accept" in request.POST or "decline" in request.POST:
                services.expert_support_respond(
                    acting_user=request.user, request=support, accept="accept" in request.POST
                )
                messages.success(request, _("Your answer is saved."))
                return redirect("trajectories:expert_request_respond", request_id=support.pk)
            log_form = ExpertLogForm(request.POST)
            if log_form.is_valid():
                services.expert_support_log(
                    acting_user=request.user,
                    request=support,
                    on=log_form.cleaned_data["on"],
                    text=log_form.cleaned_data["text"],
                    done=log_form.cleaned_data["done"],
                )
                messages.success(request, _("Your support is logged."))
                return redirect("trajectories:expert_request_respond", request_id=support.pk)
        except ValidationError as exc:
            add_service_errors(log_form, exc)
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
@capability_required("trajectory.caseload")
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    """Every open trajectory of the user (or their office), with what needs attention."""
    data = request.GET.copy()
    if "sort" not in data:
        data["sort"] = "name"
    if not request.GET:
        data["mine"] = "on"
    form = CaseloadFilterForm(data)
    form.is_valid()
    filters = form.cleaned_data if form.is_valid() else {"sort": "name", "mine": True}
    today = timezone.localdate()
    qs = selectors.caseload_for(
        request.user,
        status=filters.get("status") or "",
        type=filters.get("type") or "",
        mine=bool(filters.get("mine")),
        sort=filters.get("sort") or "name",
        today=today,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
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
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trajectories/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "query": query.urlencode(),
            "light_labels": dict(Light.choices),
            "page_size": settings.TANDEM_PAGE_SIZE,
        },
    )
