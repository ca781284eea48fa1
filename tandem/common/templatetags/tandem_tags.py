"""Small template filters shared by pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def amount(value: Any) -> str:
    """An amount of money as the reader's language writes it: two decimals and grouped
    thousands (1.801,90 in Dutch). Takes a number or the text a snapshot keeps ("1801.90");
    an empty value stays empty."""
    if value in (None, ""):
        return ""
    return floatformat(value, "2g")


@register.filter
def lead_in(label: object) -> str:
    """A label put before what is said about it ("Label: message"): a colon, unless the label
    already ends a sentence. "… ongedaan gemaakt." stays as it is (never ".:"), "Is het iemand
    anders?" too; a label ending in a colon keeps its one colon."""
    text = str(label).rstrip()
    if text.endswith((".", "?", "!", ":", "…")):
        return text
    return text + ":"


@register.filter
def timeline_label(kind: str) -> str:
    """Turn a timeline kind such as ``status:active`` into words."""
    from tandem.screening.models import Advice
    from tandem.trajectories.models import ActionStatus, ContactKind, Status

    prefix, _sep, code = kind.partition(":")
    if prefix == "status":
        return _("Status: %(status)s") % {
            "status": Status(code).label if code in Status.values else code
        }
    if prefix == "contact":
        return str(ContactKind(code).label) if code in ContactKind.values else _("Contact")
    if prefix == "action":
        label = ActionStatus(code).label if code in ActionStatus.values else code
        return _("Action (%(status)s)") % {"status": label}
    if prefix == "reading":
        return _("Self-sufficiency reading")
    if prefix == "screening":
        advice = Advice(code).label if code in Advice.values else code
        return _("Screening: %(advice)s") % {"advice": advice}
    return kind


@register.filter
def timeline_text(text: str, kind: str) -> str:
    """Screenings carry their route code as text: show the route's name."""
    if kind.startswith("screening:"):
        from tandem.screening.models import Route

        return _("route %(route)s") % {"route": Route(text).label if text in Route.values else text}
    return text
