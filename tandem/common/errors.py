"""Error pages: generic, with the request's correlation id, never a traceback.

Django's default handlers for 400 and 500 render their template without the request, and the
500 page must not depend on anything that may itself be broken (the database behind a context
processor, a template tag): those two render a plain template with only the id, and fall back
to a fixed text if even that fails. 403 and 404 pages are ordinary pages with the navigation.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape

from .request_id import request_id_of

logger = logging.getLogger(__name__)

_FALLBACK = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fout · Tandem</title>'
    "</head><body><main><h1>Er ging iets mis</h1>"
    "<p>Geef deze code door aan je beheerder: <code>{rid}</code></p>"
    '<p lang="en">Something went wrong. Give this code to your administrator: '
    "<code>{rid}</code></p></main></body></html>"
)


def _plain(template_name: str, request: HttpRequest, status: int) -> HttpResponse:
    rid = request_id_of(request)
    try:
        body = loader.get_template(template_name).render({"request_id": rid})
    except Exception:
        logger.exception("The %s error page could not be rendered.", status)
        body = _FALLBACK.format(rid=escape(rid))
    return HttpResponse(body, status=status)


def _page(
    request: HttpRequest, template_name: str, status: int, context: dict[str, Any] | None = None
) -> HttpResponse:
    context = {"request_id": request_id_of(request), **(context or {})}
    try:
        return render(request, template_name, context, status=status)
    except Exception:
        # The full page needs the database (navigation by role); when that is what failed,
        # the plain page still tells the person what to quote.
        logger.exception("The %s error page could not be rendered.", status)
        return _plain("500.html", request, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain("400.html", request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _plain("500.html", request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, blocked cookies): say what to do, not why in detail."""
    return _page(request, "403_csrf.html", 403)
