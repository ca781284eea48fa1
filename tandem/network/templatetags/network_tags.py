"""Template filters of the consent pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from tandem.common.models import LifeDomain

from ..models import Consent

register = template.Library()


@register.filter
def domain_label_list(codes: Iterable[str]) -> list[str]:
    """Life-domain codes as their labels, in the domains' own order (not the stored order)."""
    wanted = set(codes or [])
    labels = [str(domain.label) for domain in LifeDomain if domain.value in wanted]
    return labels + sorted(wanted - set(LifeDomain.values))  # a code no longer known, as stored


@register.filter
def domain_labels(codes: Iterable[str]) -> str:
    """Life-domain codes as words in a sentence: ``financiën en schulden, huisvesting``."""
    return ", ".join(label[:1].lower() + label[1:] for label in domain_label_list(codes))


@register.filter
def in_force(consents: Iterable[Consent]) -> list[Consent]:
    """The consents that are not withdrawn."""
    return [c for c in consents if c.is_active]
