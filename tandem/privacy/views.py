"""Pages that read the audit trail and a person's whole file: who looked at a file, the DPO's
search of the access log, the subject-access export (JSON and PDF) and erasure on request.
Their paths stay under /audit/.

Each page that shows a person's data logs the read, like every case page; the DPO's reads
carry the purpose "data protection", an export "subject access request".
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.log import log_person_shown, log_persons_shown
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.audit.events import Event
from tandem.audit.models import Purpose
from tandem.audit.services import audit_event_record
from tandem.common.flows import submit
from tandem.common.lists import keyset_page_of
from tandem.common.pdf import render_pdf

from . import erasure, selectors
from .export import export_outline, person_export
from .forms import AccessLogSearchForm, ErasureForm
from .requests import selectors as request_selectors
from .requests.models import SubjectRequest

# Rows of audit events shown under the access history.
EVENTS_SHOWN = 20


@require_GET
@capability_required("audit.view_person_access")
def person_access(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Who looked at this file: every read, newest first, a page at a time (older/newer: the
    reads of one person grow for as long as the file is kept)."""
    audited = selectors.audited_person_get(request.user, public_id)
    person = audited.person
    # Logged first, so the list shows this read too (N reads, N rows).
    log_person_shown(request, person, what="access history", purpose=audited.purpose)
    page = keyset_page_of(
        selectors.access_log_of_person(person), request.GET, keys=selectors.ACCESS_LOG_KEYS
    )
    return render(
        request,
        "privacy/person_access.html",
        {
            "person": person,
            "page": page,
            "events": list(selectors.audit_events_of_person(person)[:EVENTS_SHOWN]),
            "as_dpo": audited.as_dpo,
            "can_export": audited.as_dpo
            or not selectors.special_content_outside_duo(request.user, person),
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("audit.view_access_log")
def access_search(request: AuthenticatedRequest) -> HttpResponse:
    """The DPO's search of the access log by person, user and period (posted), newest first,
    a page at a time by its keys: no page numbers and no total, which would count millions of
    rows on every page."""
    page = None
    person = None
    if request.method == "POST":
        form = AccessLogSearchForm(request.POST, user=request.user)
        if form.is_valid():
            search = form.search()
            person = search.person
            page = keyset_page_of(
                selectors.access_log_search(request.user, search),
                request.POST,
                keys=selectors.ACCESS_LOG_KEYS,
            )
            shown = {row.person_id: row.person for row in page.object_list if row.person}
            if person is not None:
                shown[person.pk] = person
            log_persons_shown(
                request,
                list(shown.values()),
                what="access log search",
                purpose=Purpose.DATA_PROTECTION,
            )
    else:
        form = AccessLogSearchForm(user=request.user)
    return render(
        request, "privacy/access_search.html", {"form": form, "page": page, "person": person}
    )


def _exportable(request: AuthenticatedRequest, public_id: str) -> selectors.AuditedPerson:
    audited = selectors.audited_person_get(request.user, public_id)
    if not audited.as_dpo and selectors.special_content_outside_duo(request.user, audited.person):
        # The export is complete; this mediator may not read all of it. The DPO makes it.
        raise PermissionDenied
    return audited


def _record_export(
    request: AuthenticatedRequest, audited: selectors.AuditedPerson, fmt: str
) -> None:
    log_person_shown(
        request,
        audited.person,
        what=f"subject access export ({fmt.upper()})",
        purpose=Purpose.SUBJECT_ACCESS,
    )
    audit_event_record(
        actor=request.user,
        person=audited.person,
        event_type=Event.PERSON_EXPORTED,
        data={"format": fmt, "as": "dpo" if audited.as_dpo else "mediator"},
    )


def _filename(fmt: str) -> str:
    # No name or national number: file names end up in download folders, mail and logs.
    return f"tandem-subject-access-{timezone.localdate():%Y%m%d}.{fmt}"


@require_GET
@capability_required("audit.export_subject_access")
def person_export_json(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    audited = _exportable(request, public_id)
    _record_export(request, audited, "json")
    body = json.dumps(
        person_export(audited.person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@require_GET
@capability_required("audit.export_subject_access")
def person_export_pdf(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    audited = _exportable(request, public_id)
    _record_export(request, audited, "pdf")
    data = person_export(audited.person)
    pdf = render_pdf(
        "privacy/export_pdf.html",
        {
            "person": audited.person,
            "outline": export_outline(data),
            "generated_at": data["export"]["generated_at"],
            "not_recorded_yet": data["export"]["not_recorded_yet"],
        },
        request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response


@require_http_methods(["GET", "POST"])
@capability_required("audit.view_access_log")
def person_erase(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Erasure on request: what will go, a written reason, a confirmation, then erase."""
    person = selectors.dpo_person_get(request.user, public_id)
    log_person_shown(request, person, what="erasure form", purpose=Purpose.ERASURE)
    back = _erasure_request(request, person.pk)
    refusal = erasure.erasure_refusal(person)
    form = ErasureForm(request.POST or None)
    if refusal is None and (
        done := submit(
            request,
            form,
            lambda data: erasure.person_erase(
                acting_user=request.user, person=person, reason=data["reason"]
            ),
            message=_(
                "The data is erased. What statistics need is kept under a pseudonym; the "
                "access log follows its own retention period."
            ),
            then=reverse("privacy:request_detail", kwargs={"public_id": back.public_id})
            if back is not None
            else "privacy:access_search",
        )
    ):
        return done
    return render(
        request,
        "privacy/person_erase.html",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "preview": erasure.erasure_preview(person) if refusal is None else None,
            "back": back,
        },
        status=400 if request.method == "POST" else 200,
    )


def _erasure_request(request: AuthenticatedRequest, person_id: int) -> SubjectRequest | None:
    """The register's request this erasure answers (``?request=`` from the request's page,
    then posted with the form), when it is the DPO's organisation's and about this person:
    after the erasure the DPO goes back to it to close it."""
    key = request.POST.get("request") or request.GET.get("request")
    if not key:
        return None
    try:
        found = request_selectors.request_get_for(request.user, key)
    except Http404:
        return None
    return found if found.person_id == person_id else None
