"""Show the access log's stored codes (roles, what, purpose) in the reader's language."""

from django import template
from django.utils.translation import gettext as _

from tandem.accounts.models import Role

from ..models import PURPOSE_LABELS, WHAT_LABELS, Purpose

register = template.Library()


@register.filter
def role_labels(codes: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(c, c)) for c in (codes or "").split(",") if c)


@register.filter
def what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what, what))


@register.filter
def purpose_label(purpose: str) -> str:
    if purpose in PURPOSE_LABELS:
        return str(PURPOSE_LABELS[purpose])
    # The trajectory page stores which trajectory was read: "trajectory <its id>". That read
    # is case work; the reader sees the purpose in words and the trajectory's short reference.
    kind, _sep, ref = purpose.partition(" ")
    if kind == "trajectory" and ref:
        return _("%(purpose)s (trajectory %(ref)s)") % {
            "purpose": PURPOSE_LABELS[Purpose.CASE_WORK],
            "ref": ref[:8],
        }
    return purpose
