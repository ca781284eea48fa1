from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, open_person
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS, LifeDomain
from tandem.registry.selectors import consent_restricted_domains

from . import rules, selectors, services
from .forms import ReferForm, RouteChoiceForm, ScreeningForm
from .models import Screening


def _open_screening(request: AuthenticatedRequest, public_id: str, *, what: str) -> Screening:
    """The screening the user may see (through its person), its person logged; else 404."""
    screening = selectors.screening_get_for(request.user, public_id)
    log_person_shown(request, screening.person, what=what)
    return screening


def _detail_url(screening: Screening) -> str:
    return reverse("screening:screening_detail", args=[screening.public_id])


@require_http_methods(["GET", "POST"])
@capability_required("screening.conduct")
def screening_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    person = open_person(request, public_id, what="screening form")
    checklist = selectors.current_checklist()
    form = ScreeningForm(request.POST if request.method == "POST" else None, checklist=checklist)

    def conduct(data: dict[str, Any]) -> Screening:
        return services.screening_conduct(
            acting_user=request.user,
            person=person,
            checklist=checklist,
            present=form.present_codes(),
            motivation=data["motivation"],
            outflow_within_two_years=data["outflow_within_two_years"],
            conducted_on=data["conducted_on"],
            notes=data["notes"],
        )

    if done := submit(
        request, form, conduct, message=_("The screening is saved."), then=_detail_url
    ):
        return done
    return render(
        request,
        "screening/screening_form.html",
        {"person": person, "form": form, "checklist": checklist},
    )


def _detail_context(request: AuthenticatedRequest, screening: Screening) -> dict[str, object]:
    labels = dict(LifeDomain.choices)
    questions = {a.signal.code: a.signal.question for a in screening.answers.all()}
    special_ok = selectors.can_see_special_categories(request.user, screening)
    hidden: set[str] = set() if special_ok else {str(d) for d in SPECIAL_CATEGORY_DOMAINS}
    restricted = consent_restricted_domains(request.user, screening.person)
    if restricted is not None:
        # A welfare partner sees the domains the person consented to share, nothing else.
        hidden |= set(LifeDomain.values) - restricted
    lights = [
        {
            "code": d.value,
            "label": labels[d.value],
            "light": "hidden"
            if d in hidden
            else screening.lights.get(d.value, {}).get("light", "green"),
            "signals": []
            if d in hidden
            else [
                questions.get(c, c) for c in screening.lights.get(d.value, {}).get("signals", [])
            ],
        }
        for d in LifeDomain
    ]
    # The reasons may name health, addiction or justice findings: only for the screener and
    # the duo when such a signal is present.
    reasons_hidden = any(screening.lights.get(d, {}).get("signals") for d in hidden)
    previous = selectors.previous_screening(screening)
    changes = []
    if previous is not None:
        for change in rules.changes(previous.lights, screening.lights):
            if change.domain in hidden:
                continue
            changes.append(
                {
                    "label": labels[change.domain],
                    "before": change.before,
                    "after": change.after,
                    "added": [questions.get(c, c) for c in change.added],
                    "removed": [questions.get(c, c) for c in change.removed],
                }
            )
    user = request.user
    return {
        "screening": screening,
        "person": screening.person,
        "lights": lights,
        "previous": previous,
        "changes": changes,
        "reasons_hidden": reasons_hidden,
        "can_choose_route": has_capability(user, "screening.choose_route"),
        "can_start_trajectory": has_capability(user, "screening.choose_route"),
        "can_refer": has_capability(user, "screening.conduct") and screening.referred_to_id is None,
    }


@require_http_methods(["GET"])
@capability_required("person.read")
def screening_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    screening = _open_screening(request, public_id, what="screening")
    context = _detail_context(request, screening)
    context["route_form"] = RouteChoiceForm(
        initial={"route": screening.route, "reason": screening.route_choice_reason}
    )
    context["refer_form"] = ReferForm()
    return render(request, "screening/screening_detail.html", context)


@require_POST
@capability_required("screening.choose_route")
def screening_route(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    screening = _open_screening(request, public_id, what="screening route choice")
    form = RouteChoiceForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.screening_choose_route(
            acting_user=request.user,
            screening=screening,
            route=data["route"],
            reason=data["reason"],
        ),
        message=_("The route is saved."),
        then=_detail_url,
    ):
        return done
    context = _detail_context(request, screening)
    context["route_form"] = form
    context["refer_form"] = ReferForm()
    return render(request, "screening/screening_detail.html", context, status=400)


@require_POST
@capability_required("screening.conduct")
def screening_refer(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    screening = _open_screening(request, public_id, what="screening referral")
    form = ReferForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.screening_refer(
            acting_user=request.user,
            screening=screening,
            organisation=data["organisation"],
            note=data["note"],
            urgency=data["urgency"],
        ),
        message=lambda referred: (
            _("%(name)s is referred to %(office)s.")
            % {"name": referred.person, "office": referred.referred_to}
        ),
        then=_detail_url,
    ):
        return done
    context = _detail_context(request, screening)
    context["route_form"] = RouteChoiceForm(initial={"route": screening.route})
    context["refer_form"] = form
    return render(request, "screening/screening_detail.html", context, status=400)
