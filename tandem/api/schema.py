"""The OpenAPI description of what every API operation shares: the bearer token, and the
problem-details answers (401, 403, 429; 404 for a path with an id; 400 for a body; 412 and 428
with ``If-Match``), added by ``problems_postprocess`` so no endpoint can leave them out; and the
OpenAPI links the families declare (``link``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "message", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

DESCRIPTIONS = {
    "400": "The request has errors (one per field in `errors`).",
    "401": "No token, or a token that is unknown, expired or revoked.",
    "403": "The client lacks the scope, or its service user's role may not do this.",
    "404": "Not found, or not visible to this client (the same answer); for a list, a cursor "
    "that is not valid.",
    "409": "Not possible from the resource's current state.",
    "412": "The If-Match ETag is stale: read the resource again.",
    "428": "If-Match is required: send the ETag of the resource as read.",
    "429": "Too many requests for this client: wait (Retry-After).",
}


# OpenAPI links (for clients and for schemathesis' stateful run): (operationId, status) →
# link name → {"operationId": target, "parameters": {name: runtime expression}}. A family
# registers its links with ``link`` when its views module is imported.
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def link(source: str, target: str, parameters: dict[str, str], *, status: str = "200") -> None:
    """Declare that ``source``'s answer gives ``target`` its ``parameters`` (names may carry
    their location: ``header.If-Match``; values are runtime expressions such as
    ``$response.body#/id`` or ``$response.header.ETag``)."""
    LINKS.setdefault((source, status), {})[target] = {
        "operationId": target,
        "parameters": parameters,
    }


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tandem.api.authentication.ApiTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "tdm_<prefix>_<secret>"}


def problems_postprocess(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if not operation.get("security"):
                continue  # the schema and the docs: public, no problems of this kind
            codes = ["401", "403", "429"]
            parameters = operation.get("parameters", [])
            if "{" in path or any(p.get("name") == "cursor" for p in parameters):
                codes.append("404")
            if method in ("post", "put", "patch") or operation.get("parameters"):
                codes.append("400")
            if any(
                p.get("in") == "header" and p.get("name") == "If-Match"
                for p in operation.get("parameters", [])
            ):
                codes += ["409", "412", "428"]
            for (source, status), links in LINKS.items():
                if operation.get("operationId") == source and status in operation["responses"]:
                    operation["responses"][status].setdefault("links", {}).update(links)
            for code in codes:
                operation["responses"].setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
    return result
