"""The DPO's register of data-subject requests: the list (filters and pages), recording a
request (posted), and a request's page, which leads to the export or the erasure it asks for
and records what was done. Every person shown is logged with the purpose "data protection"."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.log import log_person_shown, log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.audit.models import Purpose
from tandem.common.flows import submit
from tandem.common.lists import filters_of, page_of

from . import rules, selectors, services
from .forms import Action, RequestActionForm, RequestFilterForm, RequestRegisterForm
from .models import RequestKind, RequestStatus, SubjectRequest


@require_GET
@capability_required("privacy.requests")
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    """The register: open requests by urgency unless the filters say otherwise."""
    today = timezone.localdate()
    form = RequestFilterForm(request.GET)
    filters = filters_of(form)
    show = filters.get("show") or selectors.Show.OPEN
    rows = selectors.register_list(
        request.user, show=show, kind=filters.get("kind") or "", today=today
    )
    # Bounded by nature (issue 20): an organisation's data-subject requests, tens a year;
    # page numbers and their count stay (keyset pages are for lists that grow).
    page = page_of(rows, request.GET)
    for row in page.object_list:
        row.is_overdue = row.overdue_on(today)  # type: ignore[attr-defined]
    log_persons_shown(
        request,
        [r.person for r in page.object_list],
        what="data-subject requests",
        purpose=Purpose.DATA_PROTECTION,
    )
    return render(
        request,
        "privacy/requests/list.html",
        {"form": form, "page": page, "today": today, "show": show},
    )


@require_http_methods(["GET", "POST"])
@capability_required("privacy.requests")
def request_create(request: AuthenticatedRequest) -> HttpResponse:
    """Record a request: who asked (found by national number or reference), what, how, when."""
    form = RequestRegisterForm(request.POST or None, user=request.user)
    if done := submit(
        request,
        form,
        lambda data: services.subject_request_register(
            acting_user=request.user,
            person=form.found_person,  # type: ignore[arg-type]  # set by a valid form
            kind=data["kind"],
            channel=data["channel"],
            received_on=data["received_on"],
            note=data["note"],
        ),
        message=lambda r: (
            _("The request is recorded. Answer it by %(date)s.")
            % {"date": r.due_on.strftime("%d/%m/%Y")}
        ),
        then=lambda r: reverse("privacy:request_detail", kwargs={"public_id": r.public_id}),
    ):
        return done
    if form.found_person is not None:
        log_person_shown(
            request,
            form.found_person,
            what="data-subject request form",
            purpose=Purpose.DATA_PROTECTION,
        )
    return render(
        request,
        "privacy/requests/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _act(
    request: AuthenticatedRequest, subject: SubjectRequest, action: str, text: str
) -> SubjectRequest:
    if action == Action.EXTEND:
        return services.subject_request_extend(
            acting_user=request.user, request=subject, reason=text
        )
    to = {
        Action.START: RequestStatus.IN_PROGRESS,
        Action.DONE: RequestStatus.DONE,
        Action.REFUSE: RequestStatus.REFUSED,
    }[action]
    return services.subject_request_move(
        acting_user=request.user, request=subject, to_status=to, reason=text
    )


MESSAGES = {
    Action.START: gettext_lazy("You handle this request now."),
    Action.EXTEND: gettext_lazy("The deadline is extended by two months. Tell the person why."),
    Action.DONE: gettext_lazy("The request is closed as done."),
    Action.REFUSE: gettext_lazy(
        "The request is refused. Tell the person why, and that they may complain to the Data "
        "Protection Authority."
    ),
}


@require_http_methods(["GET", "POST"])
@capability_required("privacy.requests")
def request_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """One request: its deadline, what it leads to (export, erasure) and what was done."""
    subject = selectors.request_get_for(request.user, public_id)
    today = timezone.localdate()
    form = RequestActionForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: _act(request, subject, data["action"], data["text"]),
        message=lambda r: str(MESSAGES[form.cleaned_data["action"]]),
        then=lambda r: reverse("privacy:request_detail", kwargs={"public_id": r.public_id}),
    ):
        return done
    person = subject.person
    erased = person.first_name == ""
    if not erased:
        log_person_shown(
            request, person, what="data-subject request", purpose=Purpose.DATA_PROTECTION
        )
    reachable = services.SUBJECT_REQUEST.reachable(subject.status)
    return render(
        request,
        "privacy/requests/detail.html",
        {
            "subject": subject,
            "person": person,
            "erased": erased,
            "today": today,
            "overdue": subject.overdue_on(today),
            "may_extend": subject.is_open
            and rules.may_extend(subject.received_on, extended=subject.extended, today=today),
            "may_start": RequestStatus.IN_PROGRESS in reachable,
            "may_close": RequestStatus.DONE in reachable,
            "is_access": subject.kind == RequestKind.ACCESS,
            "is_erasure": subject.kind == RequestKind.ERASURE,
            "history": list(selectors.history_of(subject)),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
