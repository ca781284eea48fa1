"""Views of group work: the catalogue of programmes and modules, planning intake moments and
sessions, the partner's inbox, the group with its attendance list, the participant's page
(what the group needs, never the file), and the mediator's side on the trajectory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown, open_trajectory
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.forms import add_service_errors
from tandem.trajectories.selectors import can_write

from . import selectors, services
from .forms import (
    AttendanceForm,
    DecisionForm,
    EnrolmentRequestForm,
    IntakeForm,
    LeaveForm,
    ModuleForm,
    NoteForm,
    PopInputForm,
    SessionForm,
)
from .models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    GroupSession,
    IntakeMoment,
    Module,
    PopInput,
    Programme,
)

# --- the catalogue ---------------------------------------------------------------------------


def _module_rows(modules: Any, today: Any) -> list[dict[str, Any]]:
    """Each module with its next intake moment that has room and its waiting list: one query
    for the intakes, one for the waiting lists."""
    modules = list(modules)
    ids = [m.pk for m in modules]
    intakes = (
        IntakeMoment.objects.filter(module_id__in=ids, starts_on__gte=today)
        .annotate(taken=selectors.places_taken())
        .order_by("starts_on", "pk")
    )
    upcoming: dict[int, list[Any]] = {}
    for intake in intakes:
        upcoming.setdefault(intake.module_id, []).append(intake)
    waiting = dict(
        Enrolment.objects.filter(module_id__in=ids, status=EnrolmentStatus.WAITING)
        .values_list("module_id")
        .annotate(n=Count("pk"))
        .values_list("module_id", "n")
    )
    rows = []
    for module in modules:
        future = upcoming.get(module.pk, [])
        with_room = [i for i in future if i.taken < module.capacity]
        nxt = with_room[0] if with_room else None
        rows.append(
            {
                "module": module,
                "upcoming": future,
                "next": nxt,
                "free": module.capacity - nxt.taken if nxt else 0,
                "waiting": waiting.get(module.pk, 0),
            }
        )
    return rows


@require_GET
@capability_required("groupwork.view_catalogue")
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    programmes = selectors.programme_queryset_for(request.user).annotate(
        module_count=Count("modules", distinct=True)
    )
    coached = set(request.user.coached_programmes.values_list("pk", flat=True))
    return render(
        request,
        "groupwork/programme_list.html",
        {"programmes": programmes, "coached": coached},
    )


@require_GET
@capability_required("groupwork.view_catalogue")
def programme_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "groupwork/programme_detail.html",
        {
            "programme": programme,
            "rows": _module_rows(programme.modules.order_by("name"), today),
            "is_coach": selectors.is_coach(request.user, programme),
            "can_plan": selectors.can_plan(request.user, programme),
            "coaches": programme.coaches.order_by("first_name"),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def module_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for(request.user, pk)
    return _module_form(request, programme, None)


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def module_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    module = get_object_or_404(Module.objects.select_related("programme"), pk=pk)
    programme = selectors.programme_get_for(request.user, module.programme_id)
    return _module_form(request, programme, module)


def _module_form(
    request: AuthenticatedRequest, programme: Programme, module: Module | None
) -> HttpResponse:
    if not selectors.can_plan(request.user, programme):
        raise PermissionDenied
    if request.method == "POST":
        form = ModuleForm(request.POST)
        if form.is_valid():
            try:
                module = services.module_save(
                    acting_user=request.user,
                    programme=programme,
                    module=module,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The module is saved."))
                return redirect("groupwork:programme_detail", pk=programme.pk)
        status = 400
    else:
        initial = (
            {f: getattr(module, f) for f in ModuleForm.base_fields}
            if module
            else {"capacity": Module._meta.get_field("capacity").get_default()}
        )
        form = ModuleForm(initial=initial)
        status = 200
    return render(
        request,
        "groupwork/module_form.html",
        {"form": form, "programme": programme, "module": module},
        status=status,
    )


def _planned_module(request: AuthenticatedRequest, pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("programme__promoter"), pk=pk)
    if not selectors.can_plan(request.user, module.programme):
        raise PermissionDenied
    return module


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def intake_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    module = _planned_module(request, pk)
    programme = module.programme
    if request.method == "POST":
        form = IntakeForm(request.POST, programme=programme)
        if form.is_valid():
            try:
                intake = services.intake_plan(
                    acting_user=request.user, module=module, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                placed = intake.enrolments.count()
                messages.success(
                    request,
                    _("The intake moment is planned with %(n)s sessions.")
                    % {"n": module.session_count}
                    + (
                        " " + _("%(n)s from the waiting list got a place.") % {"n": placed}
                        if placed
                        else ""
                    ),
                )
                return redirect("groupwork:programme_detail", pk=programme.pk)
        status = 400
    else:
        form = IntakeForm(programme=programme, initial={"coach": request.user.pk, "every_days": 7})
        status = 200
    return render(
        request, "groupwork/intake_form.html", {"form": form, "module": module}, status=status
    )


# --- the group (coaches only) ----------------------------------------------------------------


def _coached_intake(request: AuthenticatedRequest, pk: int) -> IntakeMoment:
    intake = get_object_or_404(IntakeMoment.objects.select_related("module__programme"), pk=pk)
    if not selectors.is_coach(request.user, intake.module.programme):
        raise Http404  # another programme's group: not even its existence
    return intake


@require_GET
@capability_required("groupwork.coach")
def intake_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    intake = _coached_intake(request, pk)
    sessions = list(
        intake.sessions.select_related("coach").annotate(
            recorded=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status="present")),
        )
    )
    participants = list(
        intake.enrolments.filter(status__in=selectors.PLACE_HOLDING)
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "trajectory__lead_mediator")
        .annotate(
            absences=Count("attendance", filter=Q(attendance__status="absent")),
            presences=Count("attendance", filter=Q(attendance__status="present")),
        )
        .order_by("trajectory__person__first_name", "trajectory__person__last_name")
    )
    log_persons_shown(
        request,
        [e.trajectory.person for e in participants],
        what="group work: group list",
    )
    return render(
        request,
        "groupwork/intake_detail.html",
        {
            "intake": intake,
            "module": intake.module,
            "sessions": sessions,
            "participants": participants,
            "capacity": intake.module.capacity,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        GroupSession.objects.select_related("intake__module__programme"), pk=pk
    )
    programme = session.intake.module.programme
    if not selectors.can_plan(request.user, programme):
        raise Http404
    if request.method == "POST":
        form = SessionForm(request.POST, programme=programme)
        if form.is_valid():
            try:
                services.session_update(
                    acting_user=request.user, session=session, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The session is saved."))
                if selectors.is_coach(request.user, programme):
                    return redirect("groupwork:intake_detail", pk=session.intake_id)
                return redirect("groupwork:programme_detail", pk=programme.pk)
        status = 400
    else:
        form = SessionForm(
            programme=programme,
            initial={
                "on": session.on,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "place": session.place,
                "coach": session.coach_id,
            },
        )
        status = 200
    return render(
        request, "groupwork/session_form.html", {"form": form, "session": session}, status=status
    )


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.coach")
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The attendance list of one session, made for a phone: one tap per participant (what is
    recorded already shows), then save."""
    session = get_object_or_404(
        GroupSession.objects.select_related("intake__module__programme"), pk=pk
    )
    if not selectors.is_coach(request.user, session.intake.module.programme):
        raise Http404
    participants = services.session_participants(session)
    log_persons_shown(
        request,
        [e.trajectory.person for e in participants],
        what="group work: attendance list",
    )
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "status")
    )
    too_early = session.on > timezone.localdate()
    if request.method == "POST" and not too_early:
        form = AttendanceForm(request.POST, participants=participants, recorded=recorded)
        if form.is_valid():
            try:
                flagged = services.attendance_record(
                    acting_user=request.user, session=session, statuses=form.statuses()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Attendance is saved."))
                for enrolment in flagged:
                    messages.warning(
                        request,
                        _(
                            "%(name)s has missed %(n)s sessions without notice: the mediator "
                            "gets a drop-out signal."
                        )
                        % {
                            "name": enrolment.trajectory.person.first_name,
                            "n": session.intake.module.programme.dropout_threshold,
                        },
                    )
                return redirect("groupwork:intake_detail", pk=session.intake_id)
        status = 400
    else:
        form = AttendanceForm(participants=participants, recorded=recorded)
        status = 200
    return render(
        request,
        "groupwork/attendance.html",
        {
            "session": session,
            "form": form,
            "too_early": too_early,
            "already": bool(recorded),
        },
        status=status,
    )


# --- the partner's inbox ---------------------------------------------------------------------


@require_GET
@capability_required("groupwork.coach")
def request_inbox(request: AuthenticatedRequest) -> HttpResponse:
    requests = list(selectors.requests_for(request.user))
    waiting = list(
        Enrolment.objects.filter(
            module__programme__coaches=request.user, status=EnrolmentStatus.WAITING
        )
        .exclude(trajectory__person__first_name="")
        .select_related("trajectory__person", "module__programme")
        .order_by("module__programme__name", "module__name", "waiting_since", "pk")
    )
    position = 0
    previous = None
    for enrolment in waiting:
        position = position + 1 if enrolment.module_id == previous else 1
        previous = enrolment.module_id
        enrolment.position = position  # type: ignore[attr-defined]
    today = timezone.localdate()
    coached = selectors.coach_sessions(request.user)
    sessions = list(coached.filter(on__gte=today).order_by("on", "starts_at")[:8])
    to_record = list(
        coached.filter(
            on__lte=today, on__gte=today - dt.timedelta(days=30), attendance__isnull=True
        ).order_by("-on")[:8]
    )
    log_persons_shown(
        request,
        [e.trajectory.person for e in [*requests, *waiting]],
        what="group work: requests and waiting lists",
    )
    return render(
        request,
        "groupwork/inbox.html",
        {
            "requests": requests,
            "waiting": waiting,
            "sessions": sessions,
            "to_record": to_record,
            "programmes": request.user.coached_programmes.order_by("name"),
            "decision_form": DecisionForm(),
        },
    )


# --- the mediator enrols ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.enrol")
def enrolment_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    trajectory = open_trajectory(request, public_id, what="group work: enrol")
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    modules = (
        Module.objects.filter(is_active=True)
        .select_related("programme")
        .order_by("programme__province", "programme__name", "name")
    )
    # The programmes of the person's province first: that is where they will go.
    province = trajectory.person.province
    rows = _module_rows(modules, timezone.localdate())
    rows.sort(key=lambda r: (r["module"].programme.province != province,))
    if request.method == "POST":
        form = EnrolmentRequestForm(request.POST, modules=modules)
        if form.is_valid():
            try:
                services.enrolment_request(
                    acting_user=request.user,
                    trajectory=trajectory,
                    module=form.cleaned_data["module"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The request is sent to the partner, who places the person.")
                )
                return redirect("trajectories:trajectory_detail", public_id=trajectory.public_id)
        status = 400
    else:
        form = EnrolmentRequestForm(modules=modules)
        status = 200
    return render(
        request,
        "groupwork/enrol.html",
        {"form": form, "trajectory": trajectory, "person": trajectory.person, "rows": rows},
        status=status,
    )


# --- the participant -------------------------------------------------------------------------


def _enrolment_context(request: AuthenticatedRequest, enrolment: Enrolment) -> dict[str, Any]:
    user = request.user
    is_coach = selectors.is_coach(user, enrolment.module.programme)
    trajectory_side = selectors.is_trajectory_side(user, enrolment)
    first_session = None
    if enrolment.intake_id:
        first_session = enrolment.intake.sessions.aggregate(first=Min("on"))["first"]  # type: ignore[union-attr]
    attendance_rows = list(
        enrolment.attendance.select_related("session").order_by("session__on", "session__number")
    )
    return {
        "enrolment": enrolment,
        "person": enrolment.trajectory.person,
        "trajectory": enrolment.trajectory,
        "module": enrolment.module,
        "programme": enrolment.module.programme,
        "is_coach": is_coach,
        "is_mediator": trajectory_side
        and has_capability(user, "groupwork.enrol")
        and can_write(user, enrolment.trajectory),
        "trajectory_side": trajectory_side,
        "position": selectors.waiting_position(enrolment),
        "first_session": first_session,
        "attendance": attendance_rows,
        "absences": sum(1 for a in attendance_rows if a.status == "absent"),
        "changes": list(enrolment.changes.select_related("by")),
        "notes": list(enrolment.notes.select_related("author")),
        "pop_inputs": list(enrolment.pop_inputs.select_related("author", "adopted_into")),
        "maps": {m.moment: m for m in enrolment.network_maps.all()},
        "can_write_for_mediator": is_coach
        and enrolment.status
        in (EnrolmentStatus.PLACED, EnrolmentStatus.COMPLETED, EnrolmentStatus.WAITING),
        "note_form": NoteForm(prefix="note"),
        "pop_form": PopInputForm(prefix="pop"),
        "leave_form": LeaveForm(prefix="leave"),
        "decision_form": DecisionForm(prefix="decide"),
        "today": timezone.localdate(),
    }


@require_GET
@capability_required("groupwork.view_enrolment")
def enrolment_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = selectors.enrolment_get_for(request.user, public_id)
    log_person_shown(request, enrolment.trajectory.person, what="group work: participant")
    return render(
        request, "groupwork/enrolment_detail.html", _enrolment_context(request, enrolment)
    )


def _rerender(request: AuthenticatedRequest, enrolment: Enrolment, **forms: Any) -> HttpResponse:
    context = _enrolment_context(request, enrolment)
    context.update(forms)
    return render(request, "groupwork/enrolment_detail.html", context, status=400)


def _posted(request: AuthenticatedRequest, public_id: str, what: str) -> Enrolment:
    enrolment = selectors.enrolment_get_for(request.user, public_id)
    log_person_shown(request, enrolment.trajectory.person, what=what)
    return enrolment


@require_POST
@capability_required("groupwork.coach")
def enrolment_decide(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: decide on a request")
    form = DecisionForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            enrolment = services.enrolment_decide(
                acting_user=request.user,
                enrolment=enrolment,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if enrolment.status == EnrolmentStatus.PLACED:
                messages.success(
                    request,
                    _("Accepted and placed in the group that starts on %(date)s.")
                    % {"date": enrolment.intake.starts_on.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
                )
            elif enrolment.status == EnrolmentStatus.WAITING:
                messages.success(
                    request,
                    _("Accepted. No group has room: on the waiting list at place %(n)s.")
                    % {"n": selectors.waiting_position(enrolment)},
                )
            else:
                messages.success(request, _("The request is declined; the mediator sees why."))
            return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)
    return _rerender(request, enrolment, decision_form=form)


@require_POST
@capability_required("groupwork.record_leave")
def enrolment_leave(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: leave")
    form = LeaveForm(request.POST, prefix="leave")
    if form.is_valid():
        try:
            services.enrolment_leave(
                acting_user=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The enrolment is ended."))
            return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)
    return _rerender(request, enrolment, leave_form=form)


@require_POST
@capability_required("groupwork.coach")
def enrolment_complete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: complete")
    try:
        services.enrolment_complete(acting_user=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as completed."))
    return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)


@require_POST
@capability_required("groupwork.enrol")
def dropout_acknowledge(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: drop-out signal")
    try:
        services.dropout_acknowledge(acting_user=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signal is marked as seen."))
    return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)


@require_POST
@capability_required("groupwork.coach")
def note_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: observation")
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.note_write(acting_user=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The observation is saved; the mediator sees it."))
            return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)
    return _rerender(request, enrolment, note_form=form)


@require_POST
@capability_required("groupwork.coach")
def pop_input_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: POP input")
    form = PopInputForm(request.POST, prefix="pop")
    if form.is_valid():
        try:
            services.pop_input_write(
                acting_user=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The POP input is saved; the mediator sees it."))
            return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)
    return _rerender(request, enrolment, pop_form=form)


@require_POST
@capability_required("groupwork.enrol")
def pop_input_adopt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pop_input = get_object_or_404(PopInput.objects.select_related("enrolment"), pk=pk)
    # Reached through the enrolment's scoping: 404 for what the user cannot see.
    enrolment = _posted(request, str(pop_input.enrolment.public_id), "group work: POP input")
    try:
        pop = services.pop_input_adopt(acting_user=request.user, pop_input=pop_input)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("groupwork:enrolment_detail", public_id=enrolment.public_id)
    messages.success(
        request,
        _(
            "The group's input is in POP version %(version)s: check it and sign it off "
            "with the person."
        )
        % {"version": pop.version},
    )
    return redirect("trajectories:pop_edit", public_id=enrolment.trajectory.public_id)
