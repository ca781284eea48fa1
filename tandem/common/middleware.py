"""Cross-cutting HTTP behaviour: no caching of pages about people, an absolute session limit,
a correlation id per request, and a refused action answered as a refusal (403)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.common import request_id

SESSION_STARTED_KEY = "tandem_session_started"
SESSION_SEEN_KEY = "tandem_session_seen"
# The idle timeout is renewed at most once a minute: saving the session on every request
# would cost three queries per page for nothing.
TOUCH_EVERY_SECONDS = 60


class NoStoreForPersonDataMiddleware:
    """Session policy and caching for logged-in users.

    Pages are sent with ``Cache-Control: no-store``: every authenticated page may carry
    person-level data, and a shared office computer must not keep it. The session ends after
    30 idle minutes (renewed at most once a minute) and never lasts longer than a working day.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = request.session.get(SESSION_STARTED_KEY) if hasattr(request, "session") else None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - int(request.session.get(SESSION_SEEN_KEY, 0)) >= TOUCH_EVERY_SECONDS:
                # Saving renews the cookie's and the stored session's expiry (idle timeout).
                request.session[SESSION_SEEN_KEY] = now
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """Give every request a correlation id (uuid4 hex): ``request.request_id``, the
    ``X-Request-ID`` response header and ``request_id`` on every log record written meanwhile.

    An id sent by the client is ignored: it could be chosen to confuse the logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.bind(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.unbind(token)
        response[request_id.HEADER] = rid
        return response


class RefusedActionMiddleware:
    """Answer a service's refusal with the 403 page, never with a 500.

    Services refuse an action the acting user may not take by raising the builtin
    ``PermissionError`` (they know nothing of HTTP); views need not catch it. It becomes
    Django's ``PermissionDenied`` here, in one place, so the usual 403 handler, page and log line
    follow. A ``PermissionError`` with an ``errno`` is the operating system refusing a file: a
    fault of the server, left to be the 500 it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionError) or exception.errno is not None:
            return None
        refusal = PermissionDenied(str(exception))
        refusal.__cause__ = exception
        return response_for_exception(request, refusal)
