"""What the status upload reads: who may upload, for whom, and an earlier upload under the
same key.

The idempotency record is the upload's own audit event (``api.status_uploaded``: client, key,
the body's digest and the counts answered), written in the import's transaction — no second
store that could disagree with what was imported.
"""

from __future__ import annotations

from collections.abc import Iterable

from tandem.access.scope import person_queryset_for
from tandem.accounts.models import OrganisationKind, User
from tandem.api.models import ApiClient
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent

# Who runs ``import_status`` today: the employment service (its status data is what the import
# reads). Its API client may upload; any other organisation's may not (403).
UPLOADING_KINDS = frozenset({OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE})


def may_upload_status(client: ApiClient) -> bool:
    return client.organisation.kind in UPLOADING_KINDS


def visible_national_numbers(user: User, digits: Iterable[str]) -> set[str]:
    """Which of the national numbers (11 digits) are of persons ``user`` may see: the access
    layer decides, as for every other road to a person."""
    wanted = sorted(set(digits))
    if not wanted:
        return set()
    found = person_queryset_for(user).filter(insz__in=wanted).values_list("insz", flat=True)
    return {insz for insz in found if insz}


def earlier_upload(client: ApiClient, key: str) -> AuditEvent | None:
    """The upload this client made under ``key`` (the first, there is only one), or None."""
    return (
        AuditEvent.objects.filter(
            event_type=Event.API_STATUS_UPLOADED,
            organisation_id=client.organisation_id,
            data__client=client.pk,
            data__key=key,
        )
        .order_by("pk")
        .first()
    )
