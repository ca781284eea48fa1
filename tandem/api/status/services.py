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
its user. A person out of scope gets the import's answer for an unknown national number, so
the upload is no oracle of who is in the registry.
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


def errors_at(errors: dict[str, list[str]]) -> set[int]:
    return {int(key.split(".")[1]) for key in errors}


def _as_csv(items: list[dict[str, str]], *, blank: set[int]) -> str:
    """The items as the import's CSV, item *i* on line *i* + 2. An item in ``blank`` (its
    person is out of reach) is a blank line, which the import skips, and then a last line
    without a national number makes sure the import refuses the file before it writes
    anything, while still checking every other item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["insz", "date", "status", "source"])
    for i, item in enumerate(items):
        if i in blank:
            out.write("\n")
            continue
        writer.writerow(
            [item["national_number"], item["date"], item["status"], item.get("source", "")]
        )
    if blank:
        writer.writerow(["", "", "", ""])
    return out.getvalue()


def _errors(exc: ImportRejected, count: int) -> dict[str, list[str]]:
    """The import's line errors as the API's field errors (none of the guard line after the
    ``count`` items)."""
    named: dict[str, list[str]] = {}
    for error in exc.errors:
        index = error.line - FIRST_ITEM_LINE
        if index >= count:
            continue
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


def _merged(named: dict[str, list[str]], more: dict[str, list[str]]) -> dict[str, list[str]]:
    """The import's errors and the scope's, one message per field, in item order."""
    out = dict(named)
    for key, messages in more.items():
        out.setdefault(key, messages)

    def order(key: str) -> tuple[int, str]:
        parts = key.split(".")
        return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1, key)

    return {key: out[key] for key in sorted(out, key=order)}


def _digits(value: str) -> str | None:
    try:
        return insz_rules.parse(value).digits
    except insz_rules.InszError:
        return None  # the import names it


def _out_of_scope(user: User, items: list[dict[str, str]]) -> dict[str, list[str]]:
    digits = {i: _digits(item["national_number"].strip()) for i, item in enumerate(items)}
    visible = selectors.visible_national_numbers(user, [d for d in digits.values() if d])
    return {
        f"items.{i}.national_number": [_("no person with this national number in the registry")]
        for i, d in digits.items()
        if d and d not in visible
    }


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
        errors = _out_of_scope(acting_user, items)
        try:
            report = import_status(
                io.StringIO(_as_csv(items, blank=errors_at(errors))),
                source_name=(source or client.name)[:60],
                file_name=f"API {client.name} ({key})"[:200],
            )
        except ImportRejected as exc:
            raise exceptions.ValidationError(_merged(_errors(exc, len(items)), errors)) from None
        counts = report.counts()
        audit_event_record(
            actor=acting_user,
            event_type=Event.API_STATUS_UPLOADED,
            organisation=client.organisation,
            data={"client": client.pk, "key": key, "body_sha256": digest, "counts": counts},
        )
    return counts, False
