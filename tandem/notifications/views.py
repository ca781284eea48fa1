"""The notifications page: the user's own notifications, marking them read, opening one (which
marks it read and goes to its place) and the daily digest choice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access.log import log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.common.flows import press, submit
from tandem.common.lists import keyset_page_of

from . import selectors, services
from .forms import DigestForm


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    # A user's notifications grow for as long as they work: newer/older by the list's keys.
    page = keyset_page_of(
        selectors.notifications_for(request.user), request.GET, keys=selectors.NOTIFICATION_KEYS
    )
    rows = selectors.notification_rows(request.user, page.object_list)
    # Only the persons named on this page are read, so only they are logged.
    shown = [r.person for r in rows if r.person is not None]
    log_persons_shown(request, list({p.pk: p for p in shown}.values()), what="notifications")
    form = DigestForm(initial={"daily_digest": selectors.digest_enabled(request.user)})
    return render(
        request,
        "notifications/list.html",
        {"rows": rows, "page": page, "digest_form": form},
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    """Mark as read; with ``open`` posted, go on to the notification's place."""
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    if notification is None:  # another user's, or none: the same answer
        raise Http404
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    return press(
        request,
        lambda: services.notification_mark_all_read(user=request.user),
        then=reverse("notifications:list"),
        message=_("All notifications are marked as read."),
    )


@login_required
@require_POST
def digest_preference(request: AuthenticatedRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.notification_digest_set(
            user=request.user, daily_digest=data["daily_digest"]
        ),
        then=reverse("notifications:list"),
        message=lambda pref: (
            _("You will receive a daily e-mail digest.")
            if pref.daily_digest
            else _("You will no longer receive a daily e-mail digest.")
        ),
    ):
        return done
    return redirect("notifications:list")
