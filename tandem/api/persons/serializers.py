"""What a person looks like in the API: the few fields a partner system needs to match its own
record — never the national number, contact details, household or any special-category data.

The birth *year*, not the date: with the name and the municipality it is enough to confirm a
match (the lookup by national number already identifies the person), and it keeps an answer
that travels to another system from carrying a full identifier (data minimisation, art. 5(1)(c)
GDPR).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.registry import insz as insz_rules
from tandem.registry.models import Person


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_year = serializers.IntegerField()
    municipality = serializers.CharField(allow_blank=True)


class PersonSearchResult(serializers.Serializer):
    results = PersonSerializer(many=True)


def person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.public_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_year": person.birth_date.year,
        "municipality": person.municipality,
    }


@extend_schema_field(
    {
        "type": "string",
        "format": "insz",
        "description": "A Belgian national number (INSZ or BIS): 11 digits with valid check "
        "digits; spaces, dots, dashes and slashes are ignored.",
    }
)
class InszField(serializers.CharField):
    pass


class PersonSearchBody(serializers.Serializer):
    insz = InszField(
        max_length=20,
        help_text="The national number (INSZ or BIS), with or without separators. Sent in the "
        "body, never in a URL.",
    )

    def validate_insz(self, value: str) -> str:
        try:
            return insz_rules.parse(value).digits
        except insz_rules.InszError as exc:
            raise serializers.ValidationError(str(exc), code=exc.code) from exc
