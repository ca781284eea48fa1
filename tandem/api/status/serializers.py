"""The body of a status upload, as the API reads it: only its shape.

The values (national number, date, status, source) are checked by ``import_status`` itself,
the same rules as for a CSV file, so the two roads cannot drift apart. Here: a list of
objects of strings, one line each (a value with a line break would make the line numbers of
the import's errors wrong, so it is refused by name).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tandem.outcomes.models import LabourStatus

MAX_ITEMS = 10_000
KEY_MAX = 100


def _one_line(value: str) -> None:
    if any(ch in value for ch in "\r\n\x00"):
        raise serializers.ValidationError(_("one line, no line breaks"), code="invalid")


class StatusItem(serializers.Serializer):
    national_number = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        validators=[_one_line],
        help_text="The person's INSZ (with or without dots and dashes); the person must exist.",
    )
    date = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        validators=[_one_line],
        help_text="The day the status starts: 2024-03-01 or 01/03/2024.",
    )
    status = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        validators=[_one_line],
        help_text="A labour-market status: " + ", ".join(LabourStatus.values) + ".",
    )
    source = serializers.CharField(
        required=False,
        trim_whitespace=False,
        allow_blank=True,
        validators=[_one_line],
        help_text="Where the event comes from (at most 60 characters; default: the batch's).",
    )


class StatusUpload(serializers.Serializer):
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        validators=[_one_line],
        help_text="The source of items without one (default: the client's name).",
    )
    items = StatusItem(many=True, allow_empty=False, max_length=MAX_ITEMS)


class StatusUploadResult(serializers.Serializer):
    idempotency_key = serializers.CharField()
    replayed = serializers.BooleanField(
        help_text="True when this is the stored answer of an earlier upload with the same key."
    )
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


def result_data(key: str, counts: dict[str, Any], *, replayed: bool) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "replayed": replayed,
        **{name: counts.get(name, 0) for name in ("rows", "created", "updated", "unchanged")},
    }
