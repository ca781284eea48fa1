"""One check of a person's identifying fields, for every door a person comes in by.

The person forms (registry, outreach's conversion of a prospect) and the importers call
``person_field_errors`` with what they were given; it answers with the messages per field
(empty when everything is fine), each message naming the field, so an import can print it
after a line number and a form can show it beside the field. Pure: no database, no request.

What it refuses:

* a name that is empty, too long for the model, or holds a character nobody types in a name
  but that changes how text is read or stored: control characters (NUL, tab, line breaks),
  bidirectional controls (the right-to-left override U+202E and its kin, which make
  "Jansen" display as something else in a list), zero-width and other invisible format
  characters, line and paragraph separators, private-use, surrogate and unassigned code points;
* a birth date outside the plausible bounds of ``tandem.common.dates`` (1900 up to today);
* a national number (INSZ) that is not valid (``tandem.registry.insz``) or that encodes another
  birth date than the one given.

The sex a national number encodes is never compared with the gender entered: Tandem records
the gender a person gives (woman, man, X), the number follows the sex registered when it was
issued, and the two may rightly differ; refusing a person's true number for it would be wrong.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils.translation import gettext as _

from tandem.common.dates import DateKind, implausible_date

from . import insz as insz_rules
from .models import Person

# Unicode general categories a name never holds: Cc control (NUL, tab, CR, LF, DEL, C1),
# Cf format (bidi embeddings/overrides/isolates, LRM/RLM, zero-width space/joiners, word
# joiner, BOM, soft hyphen), Cs surrogate, Co private use, Cn unassigned, Zl/Zp separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _field_labels() -> dict[str, str]:
    return {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "birth_date": _("Birth date"),
        "insz": _("National number (INSZ)"),
    }


def refused_character(value: str) -> str | None:
    """The first character of ``value`` a name may not hold, as ``U+202E``, or None."""
    for char in value:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def name_errors(value: str | None, *, field: str) -> list[str]:
    """What is wrong with a first or last name (``field`` is ``first_name`` or ``last_name``)."""
    label = _field_labels()[field]
    text = value or ""
    if not text.strip():
        return [_("%(field)s: enter a name.") % {"field": label}]
    errors = []
    bad = refused_character(text)
    if bad:
        errors.append(
            _(
                "%(field)s: holds an invisible or control character (%(char)s) that a name "
                "cannot hold; type the name again without it."
            )
            % {"field": label, "char": bad}
        )
    limit = getattr(Person._meta.get_field(field), "max_length", None)
    if limit is not None and len(text) > limit:
        errors.append(
            _("%(field)s: %(length)d characters; at most %(limit)d fit.")
            % {"field": label, "length": len(text), "limit": limit}
        )
    return errors


def birth_date_errors(value: dt.date | None, *, today: dt.date | None = None) -> list[str]:
    label = _field_labels()["birth_date"]
    if value is None:
        return [_("%(field)s: enter a date.") % {"field": label}]
    why = implausible_date(value, DateKind.BIRTH, today)
    return [f"{label}: {why}"] if why else []


def insz_errors(value: str | None, *, birth_date: dt.date | None = None) -> list[str]:
    """What is wrong with a national number, alone and against the birth date given."""
    label = _field_labels()["insz"]
    digits = insz_rules.normalise(value or "")
    if not digits:
        return []
    try:
        parsed = insz_rules.parse(digits)
    except insz_rules.InszError as exc:
        return [f"{label}: {exc}"]
    errors = []
    if birth_date is not None and parsed.birth_date and parsed.birth_date != birth_date:
        errors.append(
            _(
                "%(field)s: the number belongs to someone born on %(date)s, not on the birth "
                "date entered."
            )
            % {"field": label, "date": parsed.birth_date.strftime("%d/%m/%Y")}
        )
    return errors


def person_field_errors(
    *,
    first_name: str | None,
    last_name: str | None,
    birth_date: dt.date | None,
    insz: str | None = None,
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    """The messages per field (``first_name``, ``last_name``, ``birth_date``, ``insz``) for a
    person's identifying fields; an empty dict when they are fine.

    ``insz`` may carry dots, dashes and spaces."""
    found = {
        "first_name": name_errors(first_name, field="first_name"),
        "last_name": name_errors(last_name, field="last_name"),
        "birth_date": birth_date_errors(birth_date, today=today),
        "insz": insz_errors(insz, birth_date=birth_date),
    }
    return {field: messages for field, messages in found.items() if messages}
