"""Reads for organisations and users."""

from django.db.models import Count, QuerySet

from .models import Organisation, RoleAssignment


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


def organisation_count() -> int:
    return Organisation.objects.count()


def role_assignment_counts() -> dict[str, int]:
    """How many users hold each role (by role code, in code order)."""
    return {
        row["role"]: row["n"]
        for row in RoleAssignment.objects.values("role").annotate(n=Count("pk")).order_by("role")
    }
