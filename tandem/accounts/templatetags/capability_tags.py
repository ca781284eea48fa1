"""``{% if user|can:"trajectory.write" %}``: a template offers what the user may do, asking the
capability catalogue (``tandem.access.capabilities``), never testing role codes itself."""

from typing import Any

from django import template

from tandem.access.capabilities import has_capability

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    return has_capability(user, capability)
