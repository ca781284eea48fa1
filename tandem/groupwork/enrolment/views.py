"""Views of enrolment: planning a group (intake moment) and its sessions, the group with its
attendance list (coaches only), the partner's inbox, the mediator's request from the
trajectory, and the participant's page (what the group needs, never the file) with the
decisions, notes and POP input made on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown, open_trajectory
from tandem.access.scope import can_write
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import press, submit
from tandem.common.lists import page_of

from .. import selectors as catalogue
from ..models import Enrolment, EnrolmentStatus, GroupSession, Module
from . import follow_up, selectors, services
from .forms import (
    AttendanceForm,
    DecisionForm,
    EnrolmentRequestForm,
    IntakeForm,
    LeaveForm,
    NoteForm,
    PopInputForm,
    SessionForm,
)

# --- planning a group ------------------------------------------------------------------------


def _planned_module(request: AuthenticatedRequest, pk: int) -> Module:
    module = catalogue.module_get_for(request.user, pk)
    if not catalogue.can_plan(request.user, module.programme):
        raise PermissionDenied
    return module


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def intake_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    module = _planned_module(request, pk)
    programme = module.programme
    posted = request.method == "POST"
    if posted:
        form = IntakeForm(request.POST, programme=programme)
    else:
        form = IntakeForm(programme=programme, initial={"coach": request.user.pk, "every_days": 7})

    def planned(intake: Any) -> str:
        placed = selectors.intake_enrolment_count(intake)
        return _("The intake moment is planned with %(n)s sessions.") % {
            "n": module.session_count
        } + (" " + _("%(n)s from the waiting list got a place.") % {"n": placed} if placed else "")

    if done := submit(
        request,
        form,
        lambda data: services.intake_plan(acting_user=request.user, module=module, **data),
        message=planned,
        then=reverse("groupwork:programme_detail", kwargs={"pk": programme.pk}),
    ):
        return done
    return render(
        request,
        "groupwork/intake_form.html",
        {"form": form, "module": module},
        status=400 if posted else 200,
    )


@require_http_methods(["GET", "POST"])
@capability_required("groupwork.plan")
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = selectors.planned_session_get_for(request.user, pk)
    programme = session.intake.module.programme
    posted = request.method == "POST"
    if posted:
        form = SessionForm(request.POST, programme=programme)
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

    def back(saved: GroupSession) -> str:
        """A coach goes back to the group; a programme manager to the programme."""
        if catalogue.is_coach(request.user, programme):
            return reverse("groupwork:intake_detail", kwargs={"pk": saved.intake_id})
        return reverse("groupwork:programme_detail", kwargs={"pk": programme.pk})

    if done := submit(
        request,
        form,
        lambda data: services.session_update(acting_user=request.user, session=session, **data),
        message=_("The session is saved."),
        then=back,
    ):
        return done
    return render(
        request,
        "groupwork/session_form.html",
        {"form": form, "session": session},
        status=400 if posted else 200,
    )


# --- the group (coaches only) ----------------------------------------------------------------


@require_GET
@capability_required("groupwork.coach")
def intake_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    intake = selectors.coached_intake_get_for(request.user, pk)
    sessions = selectors.intake_sessions(intake)
    participants = selectors.intake_participants(intake)
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
@capability_required("groupwork.coach")
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The attendance list of one session, made for a phone: one tap per participant (what is
    recorded already shows), then save."""
    session = selectors.coached_session_get_for(request.user, pk)
    participants = selectors.session_participants(session)
    log_persons_shown(
        request,
        [e.trajectory.person for e in participants],
        what="group work: attendance list",
    )
    recorded = selectors.attendance_recorded(session)
    too_early = session.on > timezone.localdate()
    posted = request.method == "POST" and not too_early
    if posted:
        form = AttendanceForm(request.POST, participants=participants, recorded=recorded)
    else:
        form = AttendanceForm(participants=participants, recorded=recorded)

    def to_the_group(flagged: list[Enrolment]) -> str:
        """After "Attendance is saved.": a warning per new drop-out signal, then the group."""
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
        return reverse("groupwork:intake_detail", kwargs={"pk": session.intake_id})

    if posted and (
        done := submit(
            request,
            form,
            lambda data: follow_up.attendance_record(
                acting_user=request.user, session=session, statuses=form.statuses()
            ),
            message=_("Attendance is saved."),
            then=to_the_group,
        )
    ):
        return done
    return render(
        request,
        "groupwork/attendance.html",
        {
            "session": session,
            "form": form,
            "too_early": too_early,
            "already": bool(recorded),
        },
        status=400 if posted else 200,
    )


# --- the partner's inbox ---------------------------------------------------------------------


@require_GET
@capability_required("groupwork.coach")
def request_inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The coach's requests (in pages, ``?page=``) and waiting lists (in pages of their own,
    ``?waiting=``: a place on a list is counted over the whole list); only the persons on the
    pages shown are logged."""
    # Bounded by nature (issue 20): the open requests and waiting lists of one coach's groups;
    # page numbers stay, and a place on a waiting list needs its count.
    requests_page = page_of(selectors.requests_for(request.user), request.GET)
    waiting_number = QueryDict(mutable=True)
    waiting_number["page"] = request.GET.get("waiting", "")
    waiting_page = page_of(selectors.waiting_lists_for(request.user), waiting_number)
    requests, waiting = list(requests_page), list(waiting_page)
    today = timezone.localdate()
    sessions = selectors.coach_upcoming_sessions(request.user, today)
    to_record = selectors.coach_sessions_to_record(request.user, today)
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
            "page": requests_page,
            "waiting": waiting,
            "waiting_page": waiting_page,
            "sessions": sessions,
            "to_record": to_record,
            "programmes": catalogue.coached_programmes(request.user),
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
    modules = catalogue.modules_open_for_enrolment(request.user)
    # The programmes of the person's province first: that is where they will go.
    province = trajectory.person.province
    rows = catalogue.module_rows(modules, timezone.localdate())
    rows.sort(key=lambda r: (r["module"].programme.province != province,))
    posted = request.method == "POST"
    form = (
        EnrolmentRequestForm(request.POST, modules=modules)
        if posted
        else EnrolmentRequestForm(modules=modules)
    )
    if done := submit(
        request,
        form,
        lambda data: services.enrolment_request(
            acting_user=request.user,
            trajectory=trajectory,
            module=data["module"],
            note=data["note"],
        ),
        message=_("The request is sent to the partner, who places the person."),
        then=reverse("trajectories:trajectory_detail", kwargs={"public_id": trajectory.public_id}),
    ):
        return done
    return render(
        request,
        "groupwork/enrol.html",
        {"form": form, "trajectory": trajectory, "person": trajectory.person, "rows": rows},
        status=400 if posted else 200,
    )


# --- the participant -------------------------------------------------------------------------


def _enrolment_context(request: AuthenticatedRequest, enrolment: Enrolment) -> dict[str, Any]:
    user = request.user
    is_coach = catalogue.is_coach(user, enrolment.module.programme)
    trajectory_side = selectors.is_trajectory_side(user, enrolment)
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
        **selectors.enrolment_records(enrolment),
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


def _detail_url(enrolment: Enrolment) -> str:
    return reverse("groupwork:enrolment_detail", kwargs={"public_id": enrolment.public_id})


def _decided(enrolment: Enrolment) -> str:
    if enrolment.status == EnrolmentStatus.PLACED:
        return _("Accepted and placed in the group that starts on %(date)s.") % {
            "date": enrolment.intake.starts_on.strftime("%d/%m/%Y")  # type: ignore[union-attr]
        }
    if enrolment.status == EnrolmentStatus.WAITING:
        return _("Accepted. No group has room: on the waiting list at place %(n)s.") % {
            "n": selectors.waiting_position(enrolment)
        }
    return _("The request is declined; the mediator sees why.")


@require_POST
@capability_required("groupwork.coach")
def enrolment_decide(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: decide on a request")
    form = DecisionForm(request.POST, prefix="decide")
    if done := submit(
        request,
        form,
        lambda data: services.enrolment_decide(
            acting_user=request.user,
            enrolment=enrolment,
            accept=data["decision"] == "accept",
            note=data["note"],
        ),
        message=_decided,
        then=_detail_url,
    ):
        return done
    return _rerender(request, enrolment, decision_form=form)


@require_POST
@capability_required("groupwork.record_leave")
def enrolment_leave(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: leave")
    form = LeaveForm(request.POST, prefix="leave")
    if done := submit(
        request,
        form,
        lambda data: services.enrolment_leave(
            acting_user=request.user, enrolment=enrolment, **data
        ),
        message=_("The enrolment is ended."),
        then=_detail_url(enrolment),
    ):
        return done
    return _rerender(request, enrolment, leave_form=form)


@require_POST
@capability_required("groupwork.coach")
def enrolment_complete(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: complete")
    return press(
        request,
        lambda: services.enrolment_complete(acting_user=request.user, enrolment=enrolment),
        message=_("Marked as completed."),
        then=_detail_url(enrolment),
    )


@require_POST
@capability_required("groupwork.enrol")
def dropout_acknowledge(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: drop-out signal")
    return press(
        request,
        lambda: follow_up.dropout_acknowledge(acting_user=request.user, enrolment=enrolment),
        message=_("The signal is marked as seen."),
        then=_detail_url(enrolment),
    )


@require_POST
@capability_required("groupwork.coach")
def note_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: observation")
    form = NoteForm(request.POST, prefix="note")
    if done := submit(
        request,
        form,
        lambda data: follow_up.note_write(acting_user=request.user, enrolment=enrolment, **data),
        message=_("The observation is saved; the mediator sees it."),
        then=_detail_url(enrolment),
    ):
        return done
    return _rerender(request, enrolment, note_form=form)


@require_POST
@capability_required("groupwork.coach")
def pop_input_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    enrolment = _posted(request, public_id, "group work: POP input")
    form = PopInputForm(request.POST, prefix="pop")
    if done := submit(
        request,
        form,
        lambda data: follow_up.pop_input_write(
            acting_user=request.user, enrolment=enrolment, **data
        ),
        message=_("The POP input is saved; the mediator sees it."),
        then=_detail_url(enrolment),
    ):
        return done
    return _rerender(request, enrolment, pop_form=form)


@require_POST
@capability_required("groupwork.enrol")
def pop_input_adopt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Reached through the enrolments the user sees: 404 for what the user cannot see.
    pop_input = selectors.pop_input_get_for(request.user, pk)
    enrolment = _posted(request, str(pop_input.enrolment.public_id), "group work: POP input")
    try:
        pop = follow_up.pop_input_adopt(acting_user=request.user, pop_input=pop_input)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(enrolment))
    messages.success(
        request,
        _(
            "The group's input is in POP version %(version)s: check it and sign it off "
            "with the person."
        )
        % {"version": pop.version},
    )
    return redirect("trajectories:pop_edit", public_id=enrolment.trajectory.public_id)
