"""Cross-cutting HTTP behaviour: no caching of pages about people, and an absolute session limit."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_STARTED_KEY = "tandem_session_started"


class NoStoreForPersonDataMiddleware:
    """Tell browsers and proxies never to store a page shown to a logged-in user.

    Every authenticated page may carry person-level data; a shared office computer must not
    keep it in its cache.
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
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
