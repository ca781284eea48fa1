"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the fields it names when the form has
    them, above the form otherwise, so the person sees what to correct."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- No silent defaults -------------------------------------------------------------------
#
# A choice the worker did not make must be stored as "not asked / unknown", never as a real
# value. So a choice field on a form that records data either
#   * starts on an explicit "not asked"/"unknown" choice (one of NOT_SET_VALUES), or
#   * is required and starts on nothing: a select opens on a blank "— choose —" line, a row of
#     radio buttons has none ticked (and no "---------" radio), and sending it without a choice
#     gives an error on the field.
# It never starts on a real value: not a first option the browser picks by itself, not an
# ``initial`` written in the form. Showing what is already stored (editing) is not a default.
# Forms that filter or sort a list change no data and say so with ``filters_a_list = True``;
# a field whose default is right on purpose says why in ``preselected_on_purpose``.
# ``silent_defaults`` checks a form against this rule; tests/common/test_no_silent_defaults.py
# runs it on every form class of the project.

NOT_SET_VALUES = frozenset({"", "unknown", "not_asked"})
DJANGO_BLANK_LABEL = "---------"
CHOOSE_LABEL = _("— choose —")


def with_blank(choices: Iterable[tuple[Any, Any]], label: Any = CHOOSE_LABEL) -> list[Any]:
    """Put a blank first line before ``choices``, so a select starts on nothing."""
    return [("", label), *choices]


class NoSilentDefaultsMixin:
    """For a ModelForm: a required radio field loses the blank "---------" radio Django adds
    when the model field has no default, and a select's "---------" says "— choose —"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if not isinstance(field, forms.ChoiceField) or isinstance(
                field, (forms.MultipleChoiceField, forms.ModelChoiceField)
            ):
                continue
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                field.choices = [c for c in choices if c[0] != ""]
            else:
                field.choices = [
                    ("", CHOOSE_LABEL) if c[0] == "" and c[1] == DJANGO_BLANK_LABEL else c
                    for c in choices
                ]


def _shown_value(bound: forms.BoundField) -> Any:
    value = bound.value()
    if isinstance(value, Model):
        return value.pk
    return value


def silent_defaults(form: forms.BaseForm) -> list[str]:
    """What in an unbound ``form`` breaks the rule above, one line per field (empty: none)."""
    if getattr(form, "filters_a_list", False):
        return []
    problems = []
    on_purpose = getattr(form, "preselected_on_purpose", {})
    for name, field in form.fields.items():
        if name in on_purpose:
            continue
        if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
            continue
        # (value, label) as the page shows them; a model choice's value is its key.
        field_choices: Any = field.choices
        choices = [(str(getattr(v, "value", v)), str(label)) for v, label in field_choices]
        shown = _shown_value(form[name])
        radio = isinstance(field.widget, forms.RadioSelect)
        where = f"{type(form).__module__}.{type(form).__qualname__}.{name}"
        if shown not in (None, ""):
            if str(shown) not in NOT_SET_VALUES:
                problems.append(f"{where} starts on the real value {shown!r}")
        elif radio and ("", DJANGO_BLANK_LABEL) in choices:
            problems.append(f"{where} shows a '{DJANGO_BLANK_LABEL}' radio")
        elif not radio and isinstance(field, forms.ModelChoiceField) and field.empty_label is None:
            problems.append(f"{where} has no blank line, so the browser picks its first row")
        elif (
            not radio
            and choices
            and all(value != "" for value, _label in choices)
            and choices[0][0] not in NOT_SET_VALUES
        ):
            problems.append(
                f"{where} has no blank line, so the browser picks {choices[0][0]!r} by itself"
            )
    return problems


# --- Irreversible steps ask first -----------------------------------------------------------
#
# Closing a trajectory or signing off a POP cannot be undone. The first POST of a valid form
# changes nothing: it answers with a page that says what will happen (and what is still
# running), carrying the same fields hidden; only the POST that comes back with
# CONFIRM_FIELD does it. Server-side, so it works without JavaScript.

CONFIRM_FIELD = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this POST is the second, confirmed step."""
    return request.POST.get(CONFIRM_FIELD) == "yes"


def confirm_step(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    title: str,
    what: list[str],
    button: str,
    action: str,
    cancel_url: str,
    back_label: str,
    warnings: list[str] | None = None,
    warnings_title: str = "",
    warnings_help: str = "",
) -> HttpResponse:
    """The confirmation page for ``form`` (valid, not yet acted on)."""
    return render(
        request,
        "common/confirm.html",
        {
            "confirm": {
                "form": form,
                "field": CONFIRM_FIELD,
                "title": title,
                "what": what,
                "button": button,
                "action": action,
                "cancel_url": cancel_url,
                "back_label": back_label,
                "warnings": warnings or [],
                "warnings_title": warnings_title,
                "warnings_help": warnings_help,
            }
        },
    )
