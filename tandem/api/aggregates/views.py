"""The aggregates family (``aggregates:read``): outflow, a project's ESF+ common indicators,
the referral figures and the group-work figures — each from the figure's one definition, under
the pages' disclosure control (``selectors``). Figures only: no person is returned, so no
access-log row; the request log records the read.

Who may read them: the client holding ``aggregates:read``, which the administrator grants when
registering it. These are the programme-wide figures a programme manager's pages show (and the
yearly report publishes): counts made safe to publish for readers who see no person. The
pages' capability (``report.view_aggregates``) belongs to roles that never act as an API
client (a client acts with a case role), so the scope is the gate here.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.common.disclosure import publishes, threshold
from tandem.network.referrals.selectors import default_figure_period

from ..scopes import Scope
from ..views import ApiView
from . import selectors
from . import serializers as s


def _query(serializer: type[Any], request: Request) -> dict[str, Any]:
    # A plain dict: an empty value (?province=) is checked, not skipped as a form would.
    query = serializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class Outflow(ApiView):
    required_scopes = {"GET": Scope.AGGREGATES_READ}

    @extend_schema(
        tags=["aggregates"],
        summary="Outflow at +6, +12 or +24 months after the end, by a breakdown",
        parameters=[s.OutflowQuery],
        responses={200: s.Outflow},
    )
    @publishes("Outflow at +N months by breakdown (API, JSON)")
    def get(self, request: Request) -> Response:
        query = _query(s.OutflowQuery, request)
        today = timezone.localdate()
        rows = selectors.outflow_rows(
            today=today,
            months=int(query["months"]),
            by=query["by"],
            province=query.get("province", ""),
            ended_from=query.get("ended_from"),
            ended_to=query.get("ended_to"),
        )
        data = {
            "months": int(query["months"]),
            "by": query["by"],
            "measured_on": today,
            "disclosure_threshold": threshold(),
            "rows": rows,
        }
        return Response(s.Outflow(data).data)


class EsfIndicators(ApiView):
    required_scopes = {"GET": Scope.AGGREGATES_READ}

    @extend_schema(
        tags=["aggregates"],
        summary="A project's ESF+ common indicators for a period (default: the project's)",
        parameters=[s.PeriodQuery],
        responses={200: s.EsfIndicators},
    )
    @publishes("ESF+ common indicators of a project by gender, with the notes' counts (API)")
    def get(self, request: Request, project_id: int) -> Response:
        project = selectors.project_get(project_id)
        query = _query(s.PeriodQuery, request)
        date_from = query.get("date_from") or project.start_date
        date_to = query.get("date_to") or project.end_date
        table, rows = selectors.esf_rows(project, date_from, date_to, today=timezone.localdate())
        data = {
            "project": project.code,
            "date_from": table.date_from,
            "date_to": table.date_to,
            "as_of": table.as_of,
            "entrants": table.entrants,
            "leavers": table.leavers,
            "disclosure_threshold": threshold(),
            "rows": rows,
        }
        return Response(s.EsfIndicators(data).data)


class GroupWork(ApiView):
    required_scopes = {"GET": Scope.AGGREGATES_READ}

    @extend_schema(
        tags=["aggregates"],
        summary="Group-work figures per province, programme, module and intake moment",
        parameters=[s.GroupWorkQuery],
        responses={200: s.GroupWork},
    )
    @publishes("Group-work figures per province, programme, module and intake moment (API)")
    def get(self, request: Request) -> Response:
        query = _query(s.GroupWorkQuery, request)
        today = timezone.localdate()
        rows = selectors.group_work_rows(
            today=today,
            province=query.get("province", ""),
            starts_from=query.get("starts_from"),
            starts_to=query.get("starts_to"),
        )
        data = {"measured_on": today, "disclosure_threshold": threshold(), "rows": rows}
        return Response(s.GroupWork(data).data)


class ReferralFigures(ApiView):
    required_scopes = {"GET": Scope.AGGREGATES_READ}

    @extend_schema(
        tags=["aggregates"],
        summary="Referral figures per receiving organisation and service, for a period "
        "(default: the last twelve months)",
        parameters=[s.ReferralFiguresQuery],
        responses={200: s.ReferralFigures},
    )
    @publishes("Referral figures per receiving organisation and service (API)")
    def get(self, request: Request) -> Response:
        query = _query(s.ReferralFiguresQuery, request)
        default_from, default_to = default_figure_period(
            query.get("date_to") or timezone.localdate()
        )
        date_from = query.get("date_from") or default_from
        date_to = query.get("date_to") or default_to
        rows = selectors.referral_figure_rows(date_from=date_from, date_to=date_to)
        data = {
            "date_from": date_from,
            "date_to": date_to,
            "disclosure_threshold": threshold(),
            "rows": rows,
        }
        return Response(s.ReferralFigures(data).data)
