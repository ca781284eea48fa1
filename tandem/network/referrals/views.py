"""Referral pages: send from a plan action, the receiving organisation's inbox, what the
sending organisation sent (overdue first), one referral with its history and the forms to move
it on, and figures per service.

A referral is reached only through ``referral_get_for`` (another organisation's referral is a
404); a plan action only through its visible trajectory. Every page that shows person data
writes an access-log row per person shown; a referral whose consent was withdrawn shows none.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown
from tandem.access.scope import can_write, trajectory_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.disclosure import note as disclosure_note
from tandem.common.disclosure import publishes
from tandem.common.exports import csv_download
from tandem.common.flows import submit
from tandem.common.lists import filters_of, keyset_page_of
from tandem.registry.intake.models import Urgency
from tandem.trajectories.models import ActionStatus

from ..models import Referral
from ..models.referral import OPEN_REFERRAL_STATUSES
from . import selectors, services
from .forms import (
    FigurePeriodForm,
    InboxFilterForm,
    ReferralNoteForm,
    ReferralSendForm,
    ReferralTransitionForm,
    SentFilterForm,
)
from .rules import overdue_days

PAGE_SIZE = 50


# --- send --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@capability_required("referral.send")
def referral_send(
    request: AuthenticatedRequest, trajectory_id: str, action_id: int
) -> HttpResponse:
    """Refer an open plan action to a service of another organisation."""
    trajectory = trajectory_get_for(request.user, trajectory_id)
    action = selectors.action_to_refer(request.user, trajectory, action_id)
    if not can_write(request.user, trajectory):
        raise PermissionDenied
    person = trajectory.person
    log_person_shown(request, person, what="referral form")
    services_qs = selectors.services_to_refer_to(request.user, action.goal.domain)
    posted = request.POST if request.method == "POST" else None
    form = ReferralSendForm(
        posted,
        services=services_qs,
        consented=selectors.consented_by_organisation(person.pk, services_qs),
        can_override=has_capability(request.user, "referral.override"),
        initial={"question": action.description},
    )
    open_referral = selectors.open_referral_of(action)
    if done := submit(
        request,
        form,
        lambda data: services.referral_send(
            acting_user=request.user,
            action=action,
            service=data["service"],
            question=data["question"],
            override_reason=data.get("override_reason", ""),
            urgency=Urgency.URGENT if data.get("urgent") else Urgency.NORMAL,
        ),
        message=_("The referral is sent."),
        then=_detail_url,
    ):
        return done
    return render(
        request,
        "network/referrals/send.html",
        {
            "trajectory": trajectory,
            "person": person,
            "action": action,
            "form": form,
            "open_referral": open_referral,
            "action_open": action.status == ActionStatus.OPEN,
            "has_services": services_qs.exists(),
        },
    )


# --- lists -------------------------------------------------------------------------------------


@require_GET
@capability_required("referral.receive")
def referral_inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The referrals addressed to the user's organisation, newest first, a page at a time by
    their keys (no page numbers, no total: the "all" filter grows with every referral)."""
    form = InboxFilterForm(request.GET if "status" in request.GET else {"status": "open"})
    status = filters_of(form).get("status", "open")
    page = keyset_page_of(
        selectors.inbox_queryset_for(request.user, status=status),
        request.GET,
        keys=selectors.INBOX_KEYS,
        per_page=PAGE_SIZE,
    )
    # Only the page's referrals are read, and only the persons shown on it are logged.
    rows = selectors.inbox_views(request.user, page.object_list, timezone.localdate())
    log_persons_shown(
        request,
        [v.referral.person for v in rows if v.person_visible],
        what="referral inbox",
    )
    return render(
        request,
        "network/referrals/inbox.html",
        {"form": form, "page": page, "rows": rows, "status": status},
    )


@require_GET
@capability_required("referral.send")
def referral_sent(request: AuthenticatedRequest) -> HttpResponse:
    """What the user's organisation sent; overdue ones (no update in N days) first, "all"
    newest first; a page at a time by their keys (``selectors.sent_keys``)."""
    form = SentFilterForm(request.GET if "status" in request.GET else {"status": "open"})
    status = filters_of(form).get("status", "open")
    today = timezone.localdate()
    qs = selectors.sent_for(
        request.user, overdue_only=status == "overdue", status=status, today=today
    )
    keys = selectors.sent_keys("overdue" if status == "overdue" else status)
    page = keyset_page_of(qs, request.GET, keys=keys, per_page=PAGE_SIZE)
    log_persons_shown(request, [r.person for r in page.object_list], what="referrals sent")
    return render(
        request,
        "network/referrals/sent.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "status": status,
            "overdue_days": overdue_days(),
        },
    )


# --- one referral ------------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedRequest, referral: Referral, **forms: Any
) -> dict[str, Any]:
    user = request.user
    view = selectors.referral_view_for(user, referral)
    statuses = services.statuses_for(user, referral)
    party = services.is_receiver(user, referral) or services.is_sender(user, referral)
    is_open = referral.status in OPEN_REFERRAL_STATUSES
    if view.person_visible:
        log_person_shown(request, referral.person, what="referral")
    context: dict[str, Any] = {
        "referral": referral,
        "view": view,
        "history": selectors.history_of(referral),
        "transition_form": ReferralTransitionForm(statuses=statuses) if statuses else None,
        "note_form": ReferralNoteForm() if party and is_open else None,
        "is_sender_view": not view.receiver,
        "can_open_person": view.person_visible and selectors.person_openable(user, referral),
        "overdue_days": overdue_days(),
    }
    context.update(forms)
    return context


@require_GET
@capability_required("referral.receive")
def referral_detail(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, referral_id)
    return render(request, "network/referrals/detail.html", _detail_context(request, referral))


@require_POST
@capability_required("referral.receive")
def referral_transition(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, referral_id)
    statuses = services.statuses_for(request.user, referral)
    if not statuses:
        raise PermissionDenied
    form = ReferralTransitionForm(request.POST, statuses=statuses)
    if done := submit(
        request,
        form,
        lambda data: services.referral_transition(
            acting_user=request.user,
            referral=referral,
            to_status=data["to_status"],
            reason=data["reason"],
            outcome=data["outcome"],
            note=data["note"],
        ),
        message=_("The referral's status is changed."),
        then=_detail_url(referral),
    ):
        return done
    context = _detail_context(request, referral, transition_form=form)
    return render(request, "network/referrals/detail.html", context, status=400)


@require_POST
@capability_required("referral.receive")
def referral_note(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, referral_id)
    if not (
        services.is_receiver(request.user, referral) or services.is_sender(request.user, referral)
    ):
        raise PermissionDenied
    form = ReferralNoteForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.referral_note_add(
            acting_user=request.user, referral=referral, note=data["note"]
        ),
        message=_("The update is saved."),
        then=_detail_url(referral),
    ):
        return done
    context = _detail_context(request, referral, note_form=form)
    return render(request, "network/referrals/detail.html", context, status=400)


# --- figures -----------------------------------------------------------------------------------

FIGURE_CSV_FIELDS = (
    "organisation",
    "service",
    "referrals",
    "median_days_to_acceptance",
    "completed_percent",
    "no_capacity_percent",
)


def _figure_csv_header() -> list[str]:
    return [
        _("Organisation"),
        _("Service"),
        _("Referrals"),
        _("Median days to acceptance"),
        _("Completed (%)"),
        _("No capacity (%)"),
    ]


def _figure_csv_rows(
    organisations: list[selectors.OrganisationFigures],
) -> list[list[Any]]:
    """The page's table as rows: what the page shows, "—" for "too few"."""

    def cells(organisation: str, service: str, row: selectors.FigureRow) -> list[Any]:
        def figure(value: float | None) -> Any:
            return "—" if value is None else value

        sent = row.sent_shown
        return [
            organisation,
            service,
            int(sent) if sent.isdigit() else sent,
            figure(row.median_days),
            figure(row.share_completed),
            figure(row.share_no_capacity),
        ]

    rows = []
    for o in organisations:
        rows.append(cells(o.total.name, "", o.total))
        rows.extend(cells(o.total.name, s.name, s) for s in o.services)
    return rows


@require_GET
@capability_required("referral.view_figures")
@publishes("Referral figures: referrals sent per receiving organisation and service")
def referral_figures(request: AuthenticatedRequest) -> HttpResponse:
    """Per organisation and service, over the referrals sent in a period (the last twelve
    months unless ``?from=&to=`` say otherwise): aggregates only, under disclosure control;
    ``?format=csv`` downloads the same table."""
    start, end = selectors.default_figure_period(timezone.localdate())
    form = FigurePeriodForm(
        {"from": start.isoformat(), "to": end.isoformat(), **request.GET.dict()}
    )
    organisations = None
    if form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        organisations = selectors.referral_figures(date_from=start, date_to=end)
        if request.GET.get("format") == "csv":
            return csv_download(
                _figure_csv_rows(organisations),
                FIGURE_CSV_FIELDS,
                header=_figure_csv_header(),
                filename=f"referral-figures-{start:%Y%m%d}-{end:%Y%m%d}.csv",
            )
    return render(
        request,
        "network/referrals/figures.html",
        {
            "form": form,
            "organisations": organisations,
            "period": (start, end) if organisations is not None else None,
            "query": {"from": form.data.get("from", ""), "to": form.data.get("to", "")},
            "disclosure_note": disclosure_note(),
        },
    )


def _detail_url(referral: Referral) -> str:
    return reverse("network:referral_detail", kwargs={"referral_id": referral.public_id})
