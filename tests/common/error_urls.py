"""The project's URLs plus views that fail on purpose, for the error page tests only
(used with ``override_settings(ROOT_URLCONF=...)``; never part of the project's URLs)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

SECRET_DETAIL = "Peeters 85.07.30-123.28 Kortrijksesteenweg"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"database said no about {SECRET_DETAIL}")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET_DETAIL)


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET_DETAIL)


def refused(request: HttpRequest) -> HttpResponse:
    """A service refusing the action, as services do: the builtin PermissionError."""
    raise PermissionError(f"may not touch {SECRET_DETAIL}")


def file_refused(request: HttpRequest) -> HttpResponse:
    """The operating system refusing a file (it has an errno): a server fault."""
    raise PermissionError(13, "Permission denied", "/var/tandem/media")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/refused/", refused),
    path("test-errors/file-refused/", file_refused),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
