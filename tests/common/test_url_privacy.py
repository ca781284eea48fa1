"""No national number (INSZ), name, address or other personal data in any URL (ASVS V14.2.1).

Every URL pattern of the project is walked (``get_resolver``, recursively, so a new route is
checked without being listed here). Case routes may carry only ``uuid`` or ``int`` ids (and a
slug of reference data); no parameter, whatever its converter, may be named like personal data.
The Django admin addresses objects by primary key, so every model in it must have a numeric or
UUID primary key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from tandem.common.converters import IsoDateConverter

PERSONAL = re.compile(
    r"insz|rrn|ssin|national|bis|name|address|street|house|postal|zip|city|municipality|"
    r"email|mail|phone|tel|mobile|birth|iban|account",
    re.IGNORECASE,
)
SAFE_CONVERTERS = (UUIDConverter, IntConverter, IsoDateConverter)
# What Django's admin puts in its URLs: primary keys, app labels and its catch-all.
ADMIN_PARAMETERS = {"object_id", "content_type_id", "id", "pk", "app_label", "url"}


@dataclass(frozen=True)
class Param:
    route: str
    name: str
    converter: str  # the converter's class name, or "regex"
    safe: bool


def _params(pattern) -> list[tuple[str, str, bool]]:
    if isinstance(pattern, RoutePattern):
        return [
            (name, type(conv).__name__, isinstance(conv, SAFE_CONVERTERS))
            for name, conv in pattern.converters.items()
        ]
    return [(name, "regex", False) for name in pattern.regex.groupindex]


def walk(resolver: URLResolver | None = None, prefix: str = "", inherited=()) -> Iterator[Param]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        params = [*inherited, *_params(entry.pattern)]
        if isinstance(entry, URLResolver):
            yield from walk(entry, route, params)
        elif isinstance(entry, URLPattern):
            for name, converter, safe in params:
                yield Param(route, name, converter, safe)


def test_the_walk_sees_the_case_routes():
    routes = {p.route for p in walk()}
    assert "persons/<uuid:public_id>/" in routes
    nested = [p for p in walk() if "/pop/<int:version>/" in p.route]
    assert nested and {"public_id", "version"} <= {p.name for p in nested}


def test_no_url_parameter_is_named_like_personal_data():
    offenders = [p for p in walk() if PERSONAL.search(p.name)]
    assert not offenders, f"URL parameters that look like personal data: {offenders}"


# The one-time password-reset link carries Django's encoded user id and signed token: no
# personal data, and the signature is the point of the link (tandem.accounts.passwords).
RESET_LINK_PARAMETERS = {
    ("accounts/reset/<uidb64>/<token>/", "uidb64"),
    ("accounts/reset/<uidb64>/<token>/", "token"),
}


def test_case_routes_carry_only_uuid_or_int_ids():
    offenders = [
        p
        for p in walk()
        if not p.route.startswith("admin/")
        and not p.safe
        and not (p.converter == SlugConverter.__name__ and p.name.endswith(("code", "slug")))
        and (p.route, p.name) not in RESET_LINK_PARAMETERS
    ]
    assert not offenders, f"routes with text parameters (use a uuid or int id): {offenders}"


def test_the_admin_uses_only_its_own_parameters():
    offenders = [
        p
        for p in walk()
        if p.route.startswith("admin/") and not p.safe and p.name not in ADMIN_PARAMETERS
    ]
    assert not offenders, offenders


def test_every_model_in_the_admin_is_addressed_by_a_numeric_or_uuid_key():
    allowed = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.UUIDField)
    offenders = [
        model._meta.label
        for model in admin.site._registry
        if not isinstance(model._meta.pk, allowed)
    ]
    assert not offenders, f"admin models whose URL would carry a text key: {offenders}"
