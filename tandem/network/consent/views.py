"""Consent pages of a person: what is shared with whom, give, withdraw, and the paper form.

Every page reaches the person through ``person_get_for`` (another organisation's person is a
404) and logs the read. Reading is for the roles that work with persons; recording and
withdrawing consent needs the capability ``consent.record`` (others get 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.capabilities import has_capability
from tandem.access.log import log_person_shown, open_person
from tandem.access.scope import person_get_for
from tandem.accounts.decorators import AuthenticatedRequest, capability_required
from tandem.common.flows import press, submit
from tandem.common.pdf import render_pdf

from . import selectors, services
from .forms import ConsentForm


@require_http_methods(["GET", "POST"])
@capability_required("person.read")
def consent_list(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """What the person shares with whom, in force and withdrawn; the form to record consent."""
    can_write = has_capability(request.user, "consent.record")
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    person = open_person(request, public_id, what="consents")
    form = None
    if can_write:
        posted = request.POST if request.method == "POST" else None
        form = ConsentForm(
            posted, organisations=selectors.consent_recipient_organisations(request.user)
        )
        if done := submit(
            request,
            form,
            lambda data: services.consent_give(
                acting_user=request.user,
                person=person,
                recipient_organisation=data["recipient_organisation"],
                recipient_kind=data["recipient_kind"],
                domains=data["domains"],
                purpose=data["purpose"],
                evidence=data["evidence"],
                witness=data["witness"],
                given_on=data["given_on"],
            ),
            message=_("The consent is recorded."),
            then=lambda consent: f"{_list_url(person.public_id)}#consent-{consent.public_id}",
        ):
            return done
    consents = list(selectors.consents_visible_to(request.user, person))
    return render(
        request,
        "network/consent_list.html",
        {
            "person": person,
            "active": [c for c in consents if c.is_active],
            "withdrawn": [c for c in consents if not c.is_active],
            "form": form,
            "can_write": can_write,
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required("consent.record")
def consent_withdraw(
    request: AuthenticatedRequest, public_id: str, consent_id: str
) -> HttpResponse:
    """Ask for confirmation (GET), then record the withdrawal (POST): it takes effect at once."""
    person = person_get_for(request.user, public_id)
    consent = selectors.consent_get(person.pk, consent_id)
    log_person_shown(request, person, what="consent withdrawal")
    if request.method == "POST":
        return press(
            request,
            lambda: services.consent_withdraw(acting_user=request.user, consent=consent),
            message=_(
                "The consent is withdrawn. From now on the recipient sees nothing more of it."
            ),
            then=_list_url(person.public_id),
        )
    return render(request, "network/consent_withdraw.html", {"person": person, "consent": consent})


@require_GET
@capability_required("person.read")
def consent_pdf(request: AuthenticatedRequest, public_id: str, consent_id: str) -> HttpResponse:
    """The consent as a printable form to sign.

    The file name carries only the date and a short reference: names and national numbers
    stay out of file names, which end up in download folders, mail attachments and logs.
    """
    person = person_get_for(request.user, public_id)
    consent = selectors.consent_get(person.pk, consent_id)
    log_person_shown(request, person, what="consent form PDF")
    pdf = render_pdf("network/consent_pdf.html", {"person": person, "consent": consent}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"consent-{consent.given_on:%Y%m%d}-{str(consent.public_id)[:8]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_url(public_id: object) -> str:
    return reverse("network:consent_list", kwargs={"public_id": public_id})
