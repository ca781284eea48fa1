"""Filters of the trajectory list (django-filter, strict: ``?person=`` is a 400): a status, a
person (by public id)."""

from __future__ import annotations

import django_filters

from tandem.trajectories.models import Status, Trajectory

from ..filters import ApiFilterSet


class TrajectoryFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    person = django_filters.UUIDFilter(field_name="person__public_id")

    class Meta:
        model = Trajectory
        fields = ["status", "person"]
