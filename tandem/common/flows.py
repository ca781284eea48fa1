"""The step most write pages share, written once: a posted form → the service → the service's
refusal back on the form → a message → a redirect (post/redirect/get).

A view builds its form (bound on POST, unbound on GET) and hands it to :func:`submit` with
what to do with the cleaned data::

    form = GoalForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.goal_add(acting_user=request.user, trajectory=t, data=data),
        message=_("The goal is added."),
        then=lambda goal: reverse("trajectories:detail", args=[t.public_id]),
    ):
        return done
    return render(request, "trajectories/goal_form.html", {"form": form})

``submit`` returns the redirect when the service saved, and ``None`` when the page must be
shown again: on GET, when the form is invalid, or when the service refused with a
``ValidationError`` (its messages are now on the fields they name, or above the form).
A service's ``PermissionError`` is not caught here: ``RefusedActionMiddleware`` turns it
into the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .forms import add_service_errors

T = TypeVar("T")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    then: str | Callable[[T], Any],
    message: str | Callable[[T], str] | None = None,
) -> HttpResponse | None:
    """Save a posted, valid form through ``save`` and redirect to ``then``; ``None`` otherwise.

    ``then`` is a URL (or anything ``redirect`` takes), or a function of what ``save`` returned
    that gives one. ``message``, when given, is shown once on the next page (a string, or a
    function of what ``save`` returned)."""
    if request.method != "POST" or not form.is_bound or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if message is not None:
        messages.success(request, message(result) if callable(message) else message)
    return redirect(then(result) if callable(then) else then)


def press(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    then: str | Callable[[T | None], Any],
    message: str | Callable[[T], str],
) -> HttpResponse:
    """The same step for a button without a form (complete, withdraw, mark as seen): run
    ``act``; its refusal (a ``ValidationError``) becomes an error message, its success
    ``message``; either way the page at ``then`` is shown again (``then`` gets what ``act``
    returned, or ``None`` when it refused)."""
    result: T | None = None
    try:
        result = act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message(result) if callable(message) else message)
    return redirect(then(result) if callable(then) else then)
