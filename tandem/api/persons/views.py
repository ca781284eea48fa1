"""The persons family: one person by id (``persons:read``, with ``ETag``) and the lookup by
national number (``persons:search``, POST: the number never travels in a URL) — through the
access layer as the client's service user, so the API finds no one the pages would not show
that user. The lookup is for organisations whose role may register persons (``person.register``,
as the registration page's national-number check)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.registry import selectors
from tandem.registry.models import Person

from ..conditional import etag_of
from ..headers import ETAG
from ..scopes import Scope
from ..views import ApiView, capability_check, log_persons_returned
from . import serializers as s
from .selectors import person_for


def person_etag(person: Person) -> str:
    return etag_of(
        "person",
        person.public_id,
        person.first_name,
        person.last_name,
        person.birth_date.year,
        person.municipality,
        person.updated_at.isoformat(),
    )


class PersonDetail(ApiView):
    required_scopes = {"GET": Scope.PERSONS_READ}

    @extend_schema(
        tags=["persons"],
        summary="One person (limited fields)",
        parameters=[ETAG],
        responses={200: s.PersonSerializer},
    )
    def get(self, request: Request, person_id: str) -> Response:
        capability_check(request, "person.read")
        person = person_for(request.user, person_id)  # type: ignore[arg-type]
        log_persons_returned(request, [person], what="person")
        response = Response(s.PersonSerializer(s.person_data(person)).data)
        response["ETag"] = person_etag(person)
        return response


class PersonSearch(ApiView):
    required_scopes = {"POST": Scope.PERSONS_SEARCH}

    @extend_schema(
        tags=["persons"],
        summary="Look a person up by national number",
        description="Only for a client whose role may register persons. Finds the person only "
        "when the client's user may see them (no answer tells that a number exists elsewhere).",
        request=s.PersonSearchBody,
        responses={200: s.PersonSearchResult},
    )
    def post(self, request: Request) -> Response:
        capability_check(request, "person.register")
        capability_check(request, "person.read")
        body = s.PersonSearchBody(data=request.data)
        body.is_valid(raise_exception=True)
        found = list(
            selectors.person_search(
                request.user,  # type: ignore[arg-type]
                selectors.PersonSearch(insz=body.validated_data["insz"]),
            )[:2]
        )
        log_persons_returned(request, found, what="person lookup by national number")
        return Response({"results": [s.person_data(p) for p in found]})
