"""Views of outreach: the phone-sized contact form, the team's prospects, the conversion into
a registered person, the find places and the funnel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, log_persons_shown, open_person_if_visible
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.audit.models import Purpose
from tandem.common.disclosure import note as disclosure_note
from tandem.common.disclosure import publishes, shown, threshold
from tandem.common.flows import submit
from tandem.common.forms import add_service_errors
from tandem.common.lists import filters_of, list_data, page_of
from tandem.registry.exceptions import DuplicateInsz, PossibleDuplicate

from . import selectors, services
from .forms import ContactForm, ConvertForm, PlaceForm, ProspectFilterForm
from .funnel import (
    CUMULATIVE,
    STAGES,
    Counts,
    Funnel,
    FunnelHidden,
    FunnelRow,
    by_quarter,
    funnel,
    protect_funnel,
)
from .models import ENGAGED_AT, ContactMoment
from .rules import FOLLOW_UP_DAYS

# How far back the "met before?" choice looks.
RECENT_DAYS = 120


@require_http_methods(["GET", "POST"])
@capability_required("outreach.contact")
def contact_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    places = selectors.places_for_contact(user)
    recent = selectors.recent_prospects_by_place(
        user, timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    )
    form = ContactForm(request.POST or None, places=places, recent=recent)

    def log(data: dict[str, Any]) -> ContactMoment:
        met_before = data["prospect"]
        return services.contact_log(
            acting_user=user,
            place=data["place"],
            on=data["on"],
            prospect=selectors.prospect_get_for(user, met_before) if met_before else None,
            nickname=data["nickname"],
            approximate_age=data["approximate_age"],
            languages=data["languages"],
            need=data["need"],
        )

    def logged(moment: ContactMoment) -> str:
        count = selectors.contact_count(moment.prospect)
        return ngettext(
            "Contact logged: %(name)s, %(n)s contact so far.",
            "Contact logged: %(name)s, %(n)s contacts so far.",
            count,
        ) % {"name": moment.prospect.nickname, "n": count}

    if done := submit(request, form, log, message=logged, then=reverse("outreach:contact_new")):
        return done
    return render(
        request,
        "outreach/contact_form.html",
        {"form": form, "has_places": places.exists()},
    )


@require_http_methods(["GET", "POST"])
@capability_required("outreach.contact")
def prospect_list(request: AuthenticatedRequest) -> HttpResponse:
    """The team's prospects, a page at a time; the search is posted (a nickname is no URL
    matter), the filters also work as a query string."""
    data = list_data(request, posted_only=("text",))
    form = ProspectFilterForm(
        data or None,
        places=selectors.place_list_for(request.user),
        follow_up_days=FOLLOW_UP_DAYS,
    )
    filters = filters_of(form)
    # Bounded by nature (issue 20): one organisation's outreach prospects, closed ones age out
    # of the default view; page numbers and their count stay (keyset: lists that grow).
    page = page_of(
        selectors.prospect_list_for(
            request.user,
            text=filters.get("text") or "",
            status=filters.get("status") or "",
            place=filters.get("place"),
            follow_up=bool(filters.get("follow_up")),
        ),
        data,
    )
    return render(
        request,
        "outreach/prospect_list.html",
        {"form": form, "page": page, "prospects": page.object_list, "engaged_at": ENGAGED_AT},
    )


@require_GET
@capability_required("outreach.contact")
def prospect_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    prospect = selectors.prospect_get_for(request.user, public_id)
    # The person's name only to those who may see the person (the registry decides): a
    # colleague of the team who did not bring the person in sees that they are registered.
    person = open_person_if_visible(request, prospect.person, what="outreach prospect")
    moments = list(selectors.prospect_moments(prospect))
    return render(
        request,
        "outreach/prospect_detail.html",
        {
            "prospect": prospect,
            "person": person,
            "moments": moments,
            "engaged": len(moments) >= ENGAGED_AT,
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("outreach.contact")
def prospect_convert(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    prospect = selectors.prospect_get_for(user, public_id)
    if prospect.person is not None:
        messages.info(request, _("This person is already registered."))
        return redirect("outreach:prospect_detail", public_id=prospect.public_id)
    form = ConvertForm(request.POST or None, organisation=user.organisation)  # type: ignore[arg-type]
    duplicates: list[Any] = []
    insz_holder = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.prospect_convert(
                acting_user=user,
                prospect=prospect,
                person_data=form.person_data(list(prospect.languages)),
                office=data["office"],
                consent=data["consent"],
                evidence=data["evidence"],
                witness=data["witness"],
                confirmed_distinct=data["confirmed_distinct"],
                intake_note=data["intake_note"],
                urgency=data["urgency"],
            )
        except PossibleDuplicate as exc:
            duplicates = exc.candidates
            # Their names and municipalities are shown: a read of their data, logged.
            log_persons_shown(request, duplicates, what="duplicate warning")
            form.add_error(
                "confirmed_distinct",
                _("A person with this name and birth date exists. Check it is someone else."),
            )
        except DuplicateInsz as exc:
            add_service_errors(form, exc)
            # The person who has the number only to a user who may see them, logged.
            insz_holder = exc.person
            if insz_holder is not None:
                log_person_shown(
                    request, insz_holder, what="national number check", purpose=Purpose.REGISTRATION
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered and handed over to %(office)s.")
                % {"name": person.full_name, "office": data["office"]},
            )
            return redirect("outreach:prospect_detail", public_id=prospect.public_id)
    return render(
        request,
        "outreach/prospect_convert.html",
        {
            "prospect": prospect,
            "form": form,
            "duplicates": duplicates,
            "insz_holder": insz_holder,
        },
    )


@require_GET
@capability_required("outreach.places")
def place_list(request: AuthenticatedRequest) -> HttpResponse:
    places = selectors.place_list_for(request.user)
    return render(request, "outreach/place_list.html", {"places": places})


@require_http_methods(["GET", "POST"])
@capability_required("outreach.places")
def place_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.organisation is None:
        return redirect("home:home")
    form = PlaceForm(request.POST or None, organisation=user.organisation)
    if done := submit(
        request,
        form,
        lambda data: services.place_save(acting_user=user, **data),
        message=_("Find place added."),
        then="outreach:place_list",
    ):
        return done
    return render(request, "outreach/place_form.html", {"form": form})


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _cells(counts: Counts, hidden: set[str], limit: int) -> list[str]:
    return [shown(getattr(counts, s), s in hidden) for s in STAGES]


@require_GET
@capability_required("outreach.funnel")
@publishes("Outreach funnel per team, project, find place and quarter (for programme managers)")
def funnel_view(request: AuthenticatedRequest) -> HttpResponse:
    """The funnel per team, project and find place, and its progress per quarter. Programme
    managers see every team with counts of 1–4 hidden, and the counts that would let one be
    worked out from a total or a drop-out (``funnel.protect_funnel``); outreach workers see
    their own team."""
    user = request.user
    suppress = has_capability(user, "programme.oversee")
    limit = threshold()
    start = _parse_date(request.GET.get("start"))
    end = _parse_date(request.GET.get("end"))
    rows = selectors.funnel_rows_for(user)

    def by_team(r: FunnelRow) -> str:
        return r.team

    def by_project(r: FunnelRow) -> str:
        return r.project

    def by_place(r: FunnelRow) -> str:
        return r.place

    def tables(start: dt.date | None, end: dt.date | None) -> list[Funnel]:
        return [funnel(rows, key, start, end) for key in (by_team, by_project, by_place)]

    def counts_of(result: list[Funnel]) -> list[list[Counts]]:
        return [list(f.groups.values()) for f in result]

    teams, projects_, places = result = tables(start, end)
    quarter_rows = by_quarter(rows)
    nothing = FunnelHidden(
        set(), [[set()] * len(f.groups) for f in result], [set()] * len(quarter_rows)
    )
    hidden = quarter_hidden = nothing
    if suppress:
        # The quarters do not depend on the period: protect them with the all-time funnel, so
        # that they are the same whatever period is asked for.
        all_time = tables(None, None) if start or end else result
        quarter_hidden = protect_funnel(
            all_time[0].total, counts_of(all_time), quarter_rows, limit=limit
        )
        hidden = (
            protect_funnel(teams.total, counts_of(result), limit=limit)
            if start or end
            else quarter_hidden
        )

    def table(f: Funnel, hidden_rows: list[set[str]]) -> list[tuple[str, list[str]]]:
        return [
            (name or _("(none)"), _cells(c, h, limit))
            for (name, c), h in zip(f.groups.items(), hidden_rows, strict=True)
        ]

    projects = selectors.projects_by_name(projects_.groups)
    project_table = []
    for (name, counts), h in zip(projects_.groups.items(), hidden.tables[1], strict=True):
        project = projects.get(name)
        project_table.append(
            {
                "name": name or _("(none)"),
                "cells": _cells(counts, h, limit),
                "target": selectors.target_for(project),
                "description": project.description if project else "",
            }
        )
    quarters = [
        (
            q.quarter,
            _cells(q.counts, h, limit),
            shown(q.outcome_cumulative, CUMULATIVE in h),
        )
        for q, h in zip(quarter_rows, quarter_hidden.quarters, strict=True)
    ]
    return render(
        request,
        "outreach/funnel.html",
        {
            "stages": STAGES,
            "total": _cells(teams.total, hidden.total, limit),
            "teams": table(teams, hidden.tables[0]),
            "projects": project_table,
            "places": table(places, hidden.tables[2]),
            "quarters": quarters,
            "start": start,
            "end": end,
            "suppressed": suppress,
            "limit": limit,
            "disclosure_note": disclosure_note(limit),
        },
    )
