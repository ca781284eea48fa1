"""Reads for organisations and users."""

from django.db.models import QuerySet

from .models import Organisation


def organisation_tree_ids(organisation: Organisation) -> set[int]:
    """Return the ids of an organisation and all its descendants (e.g. VDAB and its offices)."""
    ids = {organisation.pk}
    frontier = [organisation.pk]
    while frontier:
        frontier = list(
            Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids.update(frontier)
    return ids


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("parent").order_by("name")
