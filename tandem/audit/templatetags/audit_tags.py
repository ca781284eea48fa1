"""Show the access log's stored codes (roles, what, purpose) in the reader's language."""

from django import template

from tandem.accounts.models import Role

from ..models import PURPOSE_LABELS, WHAT_LABELS

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
    return str(PURPOSE_LABELS.get(purpose, purpose))
