"""Filters of the referral lists (django-filter): a status, open or closed, sent since a day."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tandem.network.models import Referral, ReferralStatus
from tandem.network.models.referral import OPEN_REFERRAL_STATUSES


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="open")
    sent_since = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__gte")

    class Meta:
        model = Referral
        fields = ["status", "open", "sent_since"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_open(self, queryset: QuerySet[Referral], name: str, value: bool | None):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_REFERRAL_STATUSES)
        return queryset.exclude(status__in=OPEN_REFERRAL_STATUSES)
