from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User


def role_required(roles: Iterable[str]) -> Callable[..., Any]:
    """Let a logged-in user in only if they hold one of ``roles``; others get 403."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.role_codes & allowed:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]  # read by the tests
        return wrapped

    return decorator


class AuthenticatedRequest(HttpRequest):
    """A request behind ``role_required`` or ``login_required``: its user is a real ``User``."""

    user: User  # type: ignore[assignment]
