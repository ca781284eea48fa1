"""Filters of the referral lists (django-filter): a status, open or closed, sent since a day."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from tandem.network.models import Referral, ReferralStatus
from tandem.network.models.referral import OPEN_REFERRAL_STATUSES

from ..filters import ApiFilterSet


class ReferralFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    # "true" or "false", checked (a BooleanFilter would ignore anything else without a word).
    open = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_open", label="open"
    )
    sent_since = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__gte")

    class Meta:
        model = Referral
        fields = ["status", "open", "sent_since"]

    def filter_open(self, queryset: QuerySet[Referral], name: str, value: str):
        if not value:
            return queryset
        if value == "true":
            return queryset.filter(status__in=OPEN_REFERRAL_STATUSES)
        return queryset.exclude(status__in=OPEN_REFERRAL_STATUSES)
