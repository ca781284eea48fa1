"""Pages of the services directory: search (by life domain, municipality and keyword), a
service, an organisation, and the forms an organisation keeps its own entries with.

The directory holds no personal data: the pages need a login but write no access log, and the
search is a GET so a search can be bookmarked and shared. Maintaining entries is for
administrators (any organisation) and the organisation's own staff
(capability ``directory.maintain``); another organisation's entry is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import has_capability
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.common.flows import submit
from tandem.common.lists import page_of

from ..models import Service, ServiceAtLocation
from . import selectors, services
from .forms import DirectorySearchForm, OrganisationEntryForm, ServiceForm, ServiceLocationForm

PAGE_SIZE = 20


@require_GET
@login_required
def directory_search(request: AuthenticatedRequest) -> HttpResponse:
    """Every service that is not defunct, narrowed by life domain, municipality and keyword."""
    form = DirectorySearchForm(
        request.GET or None, municipalities=selectors.directory_municipalities()
    )
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "life_domain": form.cleaned_data["life_domain"],
            "municipality": form.cleaned_data["municipality"],
            "text": form.cleaned_data["q"],
        }
    page = None
    rows = []
    if not form.is_bound or form.is_valid():
        # Bounded by nature (issue 20): the services of the region's organisations, hundreds;
        # page numbers and their count stay (keyset pages are for lists that grow).
        page = page_of(selectors.directory_search(**filters), request.GET, per_page=PAGE_SIZE)
        rows = selectors.search_rows(page.object_list)
    return render(
        request,
        "network/directory/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": any(filters.values()),
            "can_add": selectors.may_maintain_any(request.user),
        },
    )


@require_GET
@login_required
def directory_service_detail(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    service = selectors.service_get(service_id)
    return render(
        request,
        "network/directory/service_detail.html",
        {
            **selectors.service_page(service),
            "can_edit": selectors.may_maintain(request.user, service.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def directory_service_create(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_maintain_any(request.user):
        raise PermissionDenied
    # Administrators choose the organisation; the others add to their own.
    choose = has_capability(request.user, "directory.maintain_all")
    form = ServiceForm(
        request.POST or None,
        organisations=selectors.organisations_maintainable_by(request.user) if choose else None,
    )

    def save(data: dict[str, Any]) -> Service:
        data = dict(data)
        organisation = data.pop("organisation", None) or request.user.organisation
        if organisation is None:
            raise PermissionDenied
        life_domains = data.pop("life_domains")
        return services.service_create(
            acting_user=request.user, organisation=organisation, life_domains=life_domains, **data
        )

    if done := submit(
        request, form, save, message=_("The service is in the directory."), then=_detail_url
    ):
        return done
    return render(
        request,
        "network/directory/service_form.html",
        {
            "form": form,
            "service": None,
            "organisation": None if choose else request.user.organisation,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def directory_service_edit(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    service = selectors.service_for_maintenance(request.user, service_id)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))

    def save(data: dict[str, Any]) -> Service:
        data = dict(data)
        life_domains = data.pop("life_domains")
        return services.service_update(
            acting_user=request.user, service=service, life_domains=life_domains, **data
        )

    if done := submit(
        request, form, save, message=_("The changes are saved."), then=_detail_url(service)
    ):
        return done
    return render(
        request,
        "network/directory/service_form.html",
        {"form": form, "service": service, "organisation": service.organisation},
    )


@require_http_methods(["GET", "POST"])
@login_required
def directory_location_add(request: AuthenticatedRequest, service_id: str) -> HttpResponse:
    service = selectors.service_for_maintenance(request.user, service_id)
    form = ServiceLocationForm(
        request.POST or None, locations=selectors.locations_of(service.organisation)
    )

    def save(data: dict[str, Any]) -> ServiceAtLocation:
        data = dict(data)
        location = data.pop("location", None)
        description = data.pop("description")
        return services.service_location_add(
            acting_user=request.user,
            service=service,
            location=location,
            description=description,
            **({} if location else data),
        )

    if done := submit(
        request, form, save, message=_("The location is added."), then=_detail_url(service)
    ):
        return done
    return render(
        request, "network/directory/location_form.html", {"form": form, "service": service}
    )


@require_POST
@login_required
def directory_location_remove(
    request: AuthenticatedRequest, service_id: str, sal_id: str
) -> HttpResponse:
    service = selectors.service_for_maintenance(request.user, service_id)
    link = selectors.service_at_location_get(service, sal_id)
    services.service_location_remove(acting_user=request.user, service_at_location=link)
    messages.success(request, _("The service is no longer listed at that location."))
    return redirect(_detail_url(service))


@require_GET
@login_required
def directory_organisation(request: AuthenticatedRequest, hsds_id: str) -> HttpResponse:
    organisation = selectors.organisation_directory_get(hsds_id)
    return render(
        request,
        "network/directory/organisation_detail.html",
        {
            "organisation": organisation,
            "services": list(selectors.services_of(organisation)),
            "can_edit": selectors.may_maintain(request.user, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def directory_organisation_edit(request: AuthenticatedRequest, hsds_id: str) -> HttpResponse:
    organisation = selectors.organisation_for_maintenance(request.user, hsds_id)
    form = OrganisationEntryForm(
        request.POST or None,
        initial={
            "description": organisation.description,
            "email": organisation.email,
            "website": organisation.website,
        },
    )
    if done := submit(
        request,
        form,
        lambda data: services.organisation_entry_update(
            acting_user=request.user, organisation=organisation, **data
        ),
        message=_("The changes are saved."),
        then=reverse("network:directory_organisation", kwargs={"hsds_id": organisation.hsds_id}),
    ):
        return done
    return render(
        request,
        "network/directory/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


def _detail_url(service: Service) -> str:
    return reverse("network:directory_service_detail", kwargs={"service_id": service.id})
