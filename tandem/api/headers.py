"""The ``ETag`` response header and the ``If-Match`` request header in the schema, for the
families that share them (persons, trajectories, group work)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The resource's version: send it as If-Match to change it.",
)


def if_match(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        description=f"The ETag of the {what} as last read.",
    )
