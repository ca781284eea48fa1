"""A password policy Django's validators lack (issue 16): no long repetition and no sequence.

Django's ``CommonPasswordValidator`` refuses the 20,000 most common passwords (a list shipped
with Django, read offline); this one refuses what such a list cannot hold: ``aaaaaaaaaaaa``,
``abcabcabcabc``, ``abcdef``, ``123456``, ``98765`` and keyboard rows (``qwerty``, ``azerty``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# Rows of letters and digits in order: the alphabet, the digits and the keyboard rows of the
# QWERTY and AZERTY (Belgian) layouts. A run of ``sequence_length`` of them, forwards or
# backwards, is a sequence.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
)


class PatternPasswordValidator:
    """Refuse a password with the same character ``repeat_length`` times in a row, one made of
    a block said again (``abcabc``, ``Welkom01Welkom01``), or a sequence of
    ``sequence_length`` characters (case ignored)."""

    def __init__(self, repeat_length: int = 4, sequence_length: int = 5) -> None:
        self.repeat_length = repeat_length
        self.sequence_length = sequence_length

    def validate(self, password: str, user: Any = None) -> None:
        text = password.lower()
        if self._repeats(text):
            raise ValidationError(
                gettext(
                    "This password is a repetition (like “aaaa” or “abcabc”). Choose a password "
                    "without repeated characters or parts."
                ),
                code="password_repeated",
            )
        if self._has_sequence(text):
            raise ValidationError(
                gettext(
                    "This password contains a sequence (like “abcde”, “12345” or “qwerty”). "
                    "Choose a password without such a sequence."
                ),
                code="password_sequence",
            )

    def get_help_text(self) -> str:
        return gettext(
            "Your password can’t be a repetition (like “aaaa” or “abcabc”) or contain a sequence "
            "(like “abcde”, “12345” or “qwerty”)."
        )

    def _repeats(self, text: str) -> bool:
        n = self.repeat_length
        if any(len(set(text[i : i + n])) == 1 for i in range(len(text) - n + 1)):
            return True
        # One block said twice or more: the text is a rotation of itself by the block's length.
        return len(text) > 1 and text in (text + text)[1:-1]

    def _has_sequence(self, text: str) -> bool:
        n = self.sequence_length
        for row in SEQUENCES:
            for candidate in (row, row[::-1]):
                if any(candidate[i : i + n] in text for i in range(len(candidate) - n + 1)):
                    return True
        return False
