"""Views of the group-work catalogue: the programmes, a programme with its modules (each with
the free places of its next group and its waiting list), and planning a module. Groups,
sessions, enrolment and attendance are ``tandem.groupwork.enrolment.views``; the network map
and the figures have their own sub-packages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import submit

from . import selectors, services
from .forms import ModuleForm
from .models import Module, Programme


@require_GET
@capability_required("groupwork.view_catalogue")
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "groupwork/programme_list.html",
        {
            "programmes": selectors.programme_list_for(request.user),
            "coached": selectors.coached_programme_ids(request.user),
        },
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
            "rows": selectors.programme_module_rows(programme, today),
            "is_coach": selectors.is_coach(request.user, programme),
            "can_plan": selectors.can_plan(request.user, programme),
            "coaches": selectors.programme_coaches(programme),
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
    module = selectors.module_get_for(request.user, pk)
    return _module_form(request, module.programme, module)


def _module_form(
    request: AuthenticatedRequest, programme: Programme, module: Module | None
) -> HttpResponse:
    if not selectors.can_plan(request.user, programme):
        raise PermissionDenied
    posted = request.method == "POST"
    form = (
        ModuleForm(request.POST) if posted else ModuleForm(initial=ModuleForm.initial_for(module))
    )
    if done := submit(
        request,
        form,
        lambda data: services.module_save(
            acting_user=request.user, programme=programme, module=module, **data
        ),
        message=_("The module is saved."),
        then=reverse("groupwork:programme_detail", kwargs={"pk": programme.pk}),
    ):
        return done
    return render(
        request,
        "groupwork/module_form.html",
        {"form": form, "programme": programme, "module": module},
        status=400 if posted else 200,
    )
