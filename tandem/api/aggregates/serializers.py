"""Figures as the API answers them: a hidden count is ``null`` and named in ``suppressed``."""

from __future__ import annotations

from rest_framework import serializers

from tandem.common.models import Province
from tandem.outcomes import rules
from tandem.outcomes.outflow import DIMENSIONS


def _count(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text or "null when hidden.")


def _share() -> serializers.FloatField:
    return serializers.FloatField(allow_null=True)


class OutflowQuery(serializers.Serializer):
    months = serializers.ChoiceField(
        choices=[(m, str(m)) for m in rules.MEASURE_MONTHS], required=False, default=24
    )
    by = serializers.ChoiceField(
        choices=[(d, d) for d in DIMENSIONS], required=False, default="type"
    )
    province = serializers.ChoiceField(choices=Province.choices, required=False)
    ended_from = serializers.DateField(required=False)
    ended_to = serializers.DateField(
        required=False, help_text="Before ended_from: an empty period (no rows but the total)."
    )


class OutflowRow(serializers.Serializer):
    group = serializers.CharField(help_text="The breakdown's value, or 'total'.")
    ended = _count()
    measured = _count()
    unknown = _count()
    out_of_unemployment = _count()
    into_work = _count()
    too_recent = _count()
    out_of_unemployment_share = _share()
    out_of_unemployment_ci_low = _share()
    out_of_unemployment_ci_high = _share()
    into_work_share = _share()
    into_work_ci_low = _share()
    into_work_ci_high = _share()
    suppressed = serializers.ListField(child=serializers.CharField())


class Outflow(serializers.Serializer):
    months = serializers.IntegerField()
    by = serializers.CharField()
    measured_on = serializers.DateField()
    disclosure_threshold = serializers.IntegerField()
    rows = OutflowRow(many=True)


class PeriodQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(
        required=False, help_text="Before date_from: an empty period (nothing counted)."
    )


class EsfRow(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(
        allow_blank=True, help_text="'not recorded' or 'not measurable': no counts given."
    )
    women = _count()
    men = _count()
    non_binary = _count()
    total = _count()
    unknown = _count()
    not_asked = _count()
    not_yet_measurable = _count()
    suppressed = serializers.ListField(child=serializers.CharField())


class EsfIndicators(serializers.Serializer):
    project = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    as_of = serializers.DateField()
    entrants = _count()
    leavers = _count()
    disclosure_threshold = serializers.IntegerField()
    rows = EsfRow(many=True)


class GroupWorkQuery(serializers.Serializer):
    province = serializers.ChoiceField(choices=Province.choices, required=False)
    starts_from = serializers.DateField(required=False)
    starts_to = serializers.DateField(required=False)


class GroupWorkRow(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=[(v, v) for v in ("all", "province", "programme", "module", "intake")]
    )
    province = serializers.CharField(allow_null=True)
    programme = serializers.CharField(allow_null=True)
    module = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    upcoming = serializers.BooleanField(allow_null=True)
    participants = _count()
    places = _count()
    fill_rate = _share()
    waiting_median = _share()
    waiting_mean = _share()
    attendance_rate = _share()
    excused_share = _share()
    completed = _count()
    ended = _count()
    completion_rate = _share()
    suppressed = serializers.ListField(child=serializers.CharField())


class GroupWork(serializers.Serializer):
    measured_on = serializers.DateField()
    disclosure_threshold = serializers.IntegerField()
    rows = GroupWorkRow(many=True)


class ReferralFiguresQuery(serializers.Serializer):
    date_from = serializers.DateField(
        required=False, help_text="Referrals sent from this day; default: a year before date_to."
    )
    date_to = serializers.DateField(
        required=False,
        help_text="Referrals sent until this day (inclusive); default: today. Before "
        "date_from: an empty period (no rows).",
    )


class ReferralFigureRow(serializers.Serializer):
    level = serializers.ChoiceField(choices=[(v, v) for v in ("organisation", "service")])
    organisation = serializers.CharField(help_text="The receiving organisation.")
    service = serializers.CharField(allow_null=True, help_text="null on an organisation's row.")
    referrals = _count("Referrals sent; null when hidden.")
    median_days_to_acceptance = serializers.FloatField(
        allow_null=True,
        help_text="Over the accepted referrals; null over fewer than the threshold.",
    )
    completed_share = _share()
    no_capacity_share = _share()
    suppressed = serializers.ListField(child=serializers.CharField())


class ReferralFigures(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    disclosure_threshold = serializers.IntegerField()
    rows = ReferralFigureRow(many=True)
