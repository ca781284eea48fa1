"""The status upload: ``import_status`` on the items as a CSV, all or nothing, once per key.

The items become the lines of a CSV file (``insz,date,status,source``; item *i* is line
*i* + 2) and go through ``tandem.outcomes.importing.import_status``, so an upload is checked
exactly as a file given to the ``import_status`` command: a bad item means nothing is written,
and each of the import's errors comes back named by item and field
(``items.3.national_number``). The client's key makes the upload idempotent: the first upload
under a key is recorded (its body's digest and the counts answered) in the same transaction as
the import; the same key with the same body answers those counts again without importing, the
same key with another body is refused (``KeyReused``).

One rule besides the import's: the persons must be visible to the client's service user (the
access layer, ``person_queryset_for``), as on the pages: the API cannot reach more persons than
its user. The import is told which national numbers are out of reach (``out_of_reach``) and
answers them as unknown, so the upload is no oracle of who is in the registry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from tandem.accounts.models import User
from tandem.api.models import ApiClient
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.outcomes.importing import ImportRejected, import_status
from tandem.registry import insz as insz_rules

from . import selectors

# The import's column → the API's field.
FIELD_OF = {"insz": "national_number", "date": "date", "status": "status", "source": "source"}
FIRST_ITEM_LINE = 2  # line 1 is the header


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = _(
        "This Idempotency-Key was used for another body: use a new key for a new upload."
    )
    default_code = "idempotency_key_reused"


def body_digest(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_csv(items: list[dict[str, str]]) -> str:
    """The items as the import's CSV, item *i* on line *i* + 2."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["insz", "date", "status", "source"])
    for item in items:
        writer.writerow(
            [item["national_number"], item["date"], item["status"], item.get("source", "")]
        )
    return out.getvalue()


def _errors(exc: ImportRejected) -> dict[str, list[str]]:
    """The import's line errors as the API's field errors."""
    named: dict[str, list[str]] = {}
    for error in exc.errors:
        index = error.line - FIRST_ITEM_LINE
        field = FIELD_OF.get(error.field)
        key = f"items.{index}.{field}" if field else f"items.{index}"
        if index < 0:
            key = "items"  # the header: the import's columns, never the client's fault
        named.setdefault(key, []).append(error.message)
    if exc.total > len(exc.errors):
        named.setdefault("non_field_errors", []).append(
            _("and %(count)s more errors") % {"count": exc.total - len(exc.errors)}
        )
    return named


def _digits(value: str) -> str | None:
    try:
        return insz_rules.parse(value).digits
    except insz_rules.InszError:
        return None  # the import names it


def _out_of_reach(user: User, items: list[dict[str, str]]) -> frozenset[str]:
    """The national numbers (digits) of the items whose person the user may not see."""
    digits = {d for item in items if (d := _digits(item["national_number"].strip()))}
    return frozenset(digits - set(selectors.visible_national_numbers(user, list(digits))))


def status_upload(
    *,
    client: ApiClient,
    acting_user: User,
    key: str,
    body: Any,
    items: list[dict[str, str]],
    source: str = "",
) -> tuple[dict[str, int], bool]:
    """Import ``items`` once for ``key``; return the counts and whether they are a replay."""
    digest = body_digest(body)
    with transaction.atomic():
        # One upload of this client at a time: a second request under the same key waits for
        # the first and then finds its record.
        list(
            ApiClient.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True)
        )
        earlier = selectors.earlier_upload(client, key)
        if earlier is not None:
            if earlier.data.get("body_sha256") != digest:
                raise KeyReused
            return dict(earlier.data.get("counts", {})), True
        try:
            report = import_status(
                io.StringIO(_as_csv(items)),
                source_name=(source or client.name)[:60],
                file_name=f"API {client.name} ({key})"[:200],
                out_of_reach=_out_of_reach(acting_user, items),
            )
        except ImportRejected as exc:
            raise exceptions.ValidationError(_errors(exc)) from None
        counts = report.counts()
        audit_event_record(
            actor=acting_user,
            event_type=Event.API_STATUS_UPLOADED,
            organisation=client.organisation,
            data={"client": client.pk, "key": key, "body_sha256": digest, "counts": counts},
        )
    return counts, False
