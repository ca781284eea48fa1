from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.capabilities import has_capability
from tandem.access.log import (
    log_person_shown,
    log_persons_shown,
    open_person,
    open_person_for_edit,
)
from tandem.access.scope import household_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.audit.models import Purpose
from tandem.common.flows import submit
from tandem.common.forms import add_service_errors
from tandem.common.lists import keyset_page_of
from tandem.common.panels import panel_context

from . import selectors, services
from .exceptions import DuplicateInsz, PossibleDuplicate
from .forms import (
    CircumstancesForm,
    HouseholdMemberFormSet,
    IncomeFormSet,
    PersonForm,
    PersonSearchForm,
    ReferenceMemberForm,
)
from .models import Relation


@require_http_methods(["GET", "POST"])
@capability_required("person.read")
def person_search(request: AuthenticatedRequest) -> HttpResponse:
    """Search by name, national number or municipality.

    The form is posted, never sent as a query string: names and national numbers must not end
    up in URLs, browser history or server logs.
    """
    page = None
    if request.method == "POST":
        form = PersonSearchForm(request.POST)
        if form.is_valid():
            search = selectors.PersonSearch(
                text=form.cleaned_data["text"],
                insz=form.cleaned_data["insz"],
                municipality=form.cleaned_data["municipality"],
            )
            # A page at a time by its keys (issue 20): the cursor comes with the search (a
            # bad or stale one is the first page); no total, which would count every person a
            # short name matches. The cursor holds the edge row's name: it is posted, never
            # in a URL (includes/pager.html with posted=form).
            page = keyset_page_of(
                selectors.person_search(request.user, search),
                request.POST,
                keys=selectors.person_search_keys(search),
            )
            log_persons_shown(request, page.object_list, what="search result")
    else:
        form = PersonSearchForm()
    return render(request, "registry/person_search.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
@capability_required("person.register")
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    candidates = []
    insz_holder = None
    if request.method == "POST":
        form = PersonForm(request.POST, show_confirm="confirmed_distinct" in request.POST)
        if form.is_valid():
            try:
                person = services.person_create(
                    acting_user=request.user,
                    data=form.cleaned_data,
                    confirmed_distinct=form.cleaned_data.get("confirmed_distinct", False),
                )
            except PossibleDuplicate as dup:
                candidates = dup.candidates
                # The warning shows each candidate's name, birth date, municipality and
                # masked national number: a read of their data, logged like a search result.
                log_persons_shown(request, candidates, what="duplicate warning")
                form = PersonForm(request.POST, show_confirm=True)
                form.is_valid()
            except DuplicateInsz as exc:
                add_service_errors(form, exc)
                # Only a user who may see the person who has the number gets the person: the
                # link to the file shows who it is, a read logged with its purpose.
                insz_holder = exc.person
                if insz_holder is not None:
                    log_person_shown(
                        request,
                        insz_holder,
                        what="national number check",
                        purpose=Purpose.REGISTRATION,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person})
                return redirect("registry:person_detail", public_id=person.public_id)
    else:
        form = PersonForm()
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "candidates": candidates, "insz_holder": insz_holder, "creating": True},
    )


@require_http_methods(["GET"])
@capability_required("person.read")
def person_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    person = open_person(request, public_id, what="person file")
    restricted = selectors.consent_restricted_domains(request.user, person)
    # A welfare partner who sees the person through consent sees the household and income
    # only when finances are among the shared domains.
    household = household_shown(person, restricted)
    members = list(household.members.all()) if household else []
    incomes = list(household.income_components.all()) if household else []
    can_write = has_capability(request.user, "person.register") and restricted is None
    # What other apps hold about the person (trajectories and timeline, screenings and the
    # household's indicators, consents) comes from their panels (tandem.common.panels).
    panels = panel_context("person", request.user, person)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "household": household,
            "members": members,
            "incomes": incomes,
            "income_total": sum((i.monthly_amount for i in incomes), 0),
            "can_write": can_write,
            "household_hidden": person.household is not None and household is None,
            # The trajectories panel's list (the user's duo trajectories are among them)
            # spares the query; without it the rule asks the database.
            "sees_special_categories": selectors.sees_special_categories(
                request.user, person, panels.get("trajectories")
            ),
            **panels,
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("person.register")
def person_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    # A reader limited by consent gets 403: the registering organisation keeps the data.
    person = open_person_for_edit(request, public_id, what="person edit form")
    sees_special = selectors.sees_special_categories(request.user, person)
    if request.method == "POST":
        # The form works on a copy: the service compares it with the stored person.
        form = PersonForm(
            request.POST, instance=copy.copy(person), show_special_categories=sees_special
        )
    else:
        form = PersonForm(instance=person, show_special_categories=sees_special)
    if done := submit(
        request,
        form,
        lambda data: services.person_update(acting_user=request.user, person=person, data=data),
        message=_("The changes are saved."),
        then=reverse("registry:person_detail", args=[person.public_id]),
    ):
        return done
    return render(
        request, "registry/person_form.html", {"form": form, "person": person, "creating": False}
    )


@require_http_methods(["GET", "POST"])
@capability_required("person.register")
def household_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    person = open_person_for_edit(request, public_id, what="household edit form")
    household = selectors.household_get_for(request.user, person)
    all_members = list(household.members.all())
    others = [m for m in all_members if m.relation != Relation.SELF]
    income_form_kwargs = {"members": all_members}
    household_errors: list[str] = []
    reference = next((m for m in all_members if m.relation == Relation.SELF), None)
    if request.method == "POST":
        reference_form = ReferenceMemberForm(request.POST, prefix="reference")
        members_fs = HouseholdMemberFormSet(request.POST, prefix="members")
        incomes_fs = IncomeFormSet(request.POST, prefix="incomes", form_kwargs=income_form_kwargs)
        circumstances_form = CircumstancesForm(request.POST, prefix="circ")
        if (
            reference_form.is_valid()
            and members_fs.is_valid()
            and incomes_fs.is_valid()
            and circumstances_form.is_valid()
        ):
            members = [
                services.MemberData(
                    pk=reference_form.cleaned_data["pk"],
                    relation=Relation.SELF,
                    first_name="",
                    birth_date=person.birth_date,
                    activity=reference_form.cleaned_data["activity"],
                    months_worked=reference_form.cleaned_data["months_worked"],
                )
            ] + [
                services.MemberData(
                    pk=f.cleaned_data.get("pk"),
                    relation=f.cleaned_data["relation"],
                    first_name=f.cleaned_data["first_name"],
                    birth_date=f.cleaned_data["birth_date"],
                    activity=f.cleaned_data["activity"],
                    months_worked=f.cleaned_data["months_worked"],
                )
                for f in members_fs.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            incomes = [
                services.IncomeData(
                    pk=f.cleaned_data.get("pk"),
                    kind=f.cleaned_data["kind"],
                    monthly_amount=f.cleaned_data["monthly_amount"],
                    member_pk=f.cleaned_data.get("member"),
                )
                for f in incomes_fs.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                with transaction.atomic():
                    services.household_update(
                        acting_user=request.user,
                        household=household,
                        members=members,
                        incomes=incomes,
                    )
                    services.household_circumstances_update(
                        acting_user=request.user,
                        household=household,
                        deprivation=circumstances_form.values("dep_"),
                        kind_en_gezin=circumstances_form.values("kg_"),
                    )
            except ValidationError as exc:
                household_errors = exc.messages
            else:
                messages.success(request, _("The household is saved."))
                return redirect("registry:person_detail", public_id=person.public_id)
    else:
        circumstances_form = CircumstancesForm(
            prefix="circ",
            initial=CircumstancesForm.initial_from(household.deprivation, household.kind_en_gezin),
        )
        reference_form = ReferenceMemberForm(
            prefix="reference",
            initial={
                "pk": reference.pk if reference else None,
                "activity": reference.activity if reference else "",
                "months_worked": reference.months_worked if reference else None,
            },
        )
        members_fs = HouseholdMemberFormSet(
            prefix="members",
            initial=[
                {
                    "pk": m.pk,
                    "relation": m.relation,
                    "first_name": m.first_name,
                    "birth_date": m.birth_date,
                    "activity": m.activity,
                    "months_worked": m.months_worked,
                }
                for m in others
            ],
        )
        incomes_fs = IncomeFormSet(
            prefix="incomes",
            initial=[
                {
                    "pk": c.pk,
                    "kind": c.kind,
                    "member": c.member_id,
                    "monthly_amount": c.monthly_amount,
                }
                for c in household.income_components.all()
            ],
            form_kwargs=income_form_kwargs,
        )
    return render(
        request,
        "registry/household_form.html",
        {
            "person": person,
            "household": household,
            "reference": reference,
            "reference_form": reference_form,
            "circumstances_form": circumstances_form,
            "members_fs": members_fs,
            "incomes_fs": incomes_fs,
            "household_errors": household_errors,
        },
    )
