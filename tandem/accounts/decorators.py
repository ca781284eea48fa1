from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tandem.access.capabilities import roles_for

from .models import User


def capability_required(capability: str) -> Callable[..., Any]:
    """Let a logged-in user in only if they hold ``capability`` (``tandem.access.capabilities``);
    others get 403, anonymous users the login page."""
    allowed = roles_for(capability)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.role_codes & allowed:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.capability = capability  # type: ignore[attr-defined]  # read by the tests
        return wrapped

    return decorator


class AuthenticatedRequest(HttpRequest):
    """A request behind ``capability_required`` or ``login_required``: its user is a real
    ``User``."""

    user: User  # type: ignore[assignment]
