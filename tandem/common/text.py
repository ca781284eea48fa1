"""How long the free text a person types may be, written down once for models and forms.

A note of 10,000 characters is not a note, and an unbroken string of that length once widened
a page to 121,743 px. Every free-text field has one of these limits: the model field
(``LimitedTextField``) refuses longer text in ``full_clean`` (which every service runs, so also
the admin and the imports), the form field (``LongTextField``) refuses it with a message that
names the field, and the textarea carries ``maxlength`` so the browser stops at the limit and
``static/js/textcount.js`` can show "123 / 4000 tekens" beside it. PostgreSQL keeps the column
a ``text``: changing its type buys nothing the model check does not already give.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

LINE_MAX = 300  # one line: a goal, an action, a short reason
REASON_MAX = 1000  # why something was done: a closing note, a withdrawal, an override
NOTE_MAX = 4000  # a note of a contact, an observation, a question, a plan, a description


class LimitedTextField(models.TextField):
    """A ``TextField`` whose ``max_length`` is checked by ``full_clean`` as well as by forms
    (Django's own ``TextField`` passes it to forms only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))


class LongTextField(forms.CharField):
    """Free text typed in a textarea, at most ``max_length`` (default ``NOTE_MAX``) characters.

    Line breaks count once, as the browser counts them for ``maxlength`` (it sends each as two
    characters, CR LF). Too long a text is refused with a message that names the field."""

    def __init__(self, *, max_length: int = NOTE_MAX, rows: int = 3, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)
        label = self.label or _("This text")
        self.error_messages["max_length"] = format_lazy(
            _("{label}: this text has %(show_value)d characters; at most %(limit_value)d fit."),
            label=label,
        )

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return super().to_python(value)
