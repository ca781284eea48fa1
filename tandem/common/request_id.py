"""A correlation id per request: on the response (``X-Request-ID``), on every log line written
while the request runs, and on the error pages, so a person can quote it to an administrator
who then finds the matching log lines — without anything personal in either."""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar, Token

from django.http import HttpRequest

HEADER = "X-Request-ID"
_current: ContextVar[str] = ContextVar("tandem_request_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """Return the id of the request being handled, or ``"-"`` outside a request."""
    return _current.get()


def request_id_of(request: HttpRequest | None) -> str:
    """Return the request's id; outside the middleware (a broken set-up) a fresh one."""
    rid = getattr(request, "request_id", None) if request is not None else None
    if isinstance(rid, str) and rid:
        return rid
    rid = current_request_id()
    return rid if rid != "-" else new_request_id()


def bind(request_id: str) -> Token[str]:
    """Make ``request_id`` the current one; return the token that :func:`unbind` takes."""
    return _current.set(request_id)


def unbind(token: Token[str]) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Put ``request_id`` on every log record (``-`` when logged outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs the response's status after the middleware has finished,
            # but hands over the request itself.
            rid = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = rid if isinstance(rid, str) else current_request_id()
        return True
