from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.forms import add_service_errors
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS, LifeDomain
from tandem.registry.selectors import consent_restricted_domains, person_get_for

from . import rules, selectors, services
from .forms import ReferForm, RouteChoiceForm, ScreeningForm
from .models import Screening


@require_http_methods(["GET", "POST"])
@capability_required("screening.conduct")
def screening_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    person = person_get_for(request.user, public_id)
    checklist = selectors.current_checklist()
    log_person_shown(request, person, what="screening form")
    if request.method == "POST":
        form = ScreeningForm(request.POST, checklist=checklist)
        if form.is_valid():
            screening = services.screening_conduct(
                acting_user=request.user,
                person=person,
                checklist=checklist,
                present=form.present_codes(),
                motivation=form.cleaned_data["motivation"],
                outflow_within_two_years=form.cleaned_data["outflow_within_two_years"],
                conducted_on=form.cleaned_data["conducted_on"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("The screening is saved."))
            return redirect("screening:screening_detail", public_id=screening.public_id)
    else:
        form = ScreeningForm(checklist=checklist)
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
    screening = selectors.screening_get_for(request.user, public_id)
    log_person_shown(request, screening.person, what="screening")
    context = _detail_context(request, screening)
    context["route_form"] = RouteChoiceForm(
        initial={"route": screening.route, "reason": screening.route_choice_reason}
    )
    context["refer_form"] = ReferForm()
    return render(request, "screening/screening_detail.html", context)


@require_POST
@capability_required("screening.choose_route")
def screening_route(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    screening = selectors.screening_get_for(request.user, public_id)
    log_person_shown(request, screening.person, what="screening route choice")
    form = RouteChoiceForm(request.POST)
    if form.is_valid():
        try:
            services.screening_choose_route(
                acting_user=request.user,
                screening=screening,
                route=form.cleaned_data["route"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The route is saved."))
            return redirect("screening:screening_detail", public_id=screening.public_id)
    context = _detail_context(request, screening)
    context["route_form"] = form
    context["refer_form"] = ReferForm()
    return render(request, "screening/screening_detail.html", context, status=400)


@require_POST
@capability_required("screening.conduct")
def screening_refer(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    screening = selectors.screening_get_for(request.user, public_id)
    log_person_shown(request, screening.person, what="screening referral")
    form = ReferForm(request.POST)
    if form.is_valid():
        try:
            services.screening_refer(
                acting_user=request.user,
                screening=screening,
                organisation=form.cleaned_data["organisation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is referred to %(office)s.")
                % {"name": screening.person, "office": form.cleaned_data["organisation"]},
            )
            return redirect("screening:screening_detail", public_id=screening.public_id)
    context = _detail_context(request, screening)
    context["route_form"] = RouteChoiceForm(initial={"route": screening.route})
    context["refer_form"] = form
    return render(request, "screening/screening_detail.html", context, status=400)
