from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.accounts.decorators import AuthenticatedRequest
from tandem.accounts.models import Organisation, Role, RoleAssignment
from tandem.common.disclosure import note as disclosure_note
from tandem.common.disclosure import protect_one_way, publishes, shown
from tandem.programmes.models import Project
from tandem.registry.models import Person
from tandem.registry.selectors import person_queryset_for


def _province_counts() -> dict[str, object]:
    """Registered persons per province with their total, under disclosure control."""
    counts = {
        row["province"]: row["n"]
        for row in Person.objects.values("province").annotate(n=Count("pk")).order_by("province")
    }
    hidden, total_hidden = protect_one_way(counts)
    labels = dict(Person._meta.get_field("province").choices or [])
    return {
        "rows": [
            {"province": labels.get(code, code), "count": shown(n, code in hidden)}
            for code, n in counts.items()
        ],
        "total": shown(sum(counts.values()), total_hidden),
    }


@login_required
@publishes("Home page of programme managers: registered persons per province, with the total")
def home(request: AuthenticatedRequest) -> HttpResponse:
    """One page, with a panel for each role the user holds."""
    user = request.user
    codes = user.role_codes
    context: dict[str, object] = {"panels": sorted(codes), "today": timezone.localdate()}
    if has_capability(user, "person.read"):
        visible = person_queryset_for(user)
        month_start = timezone.localdate().replace(day=1)
        context["case_stats"] = {
            "persons": visible.count(),
            "new_this_month": visible.filter(
                created_at__gte=dt.datetime.combine(
                    month_start, dt.time.min, tzinfo=timezone.get_current_timezone()
                )
            ).count(),
            "non_active": visible.filter(registration="non_active").count(),
        }
    if has_capability(user, "trajectory.respond_as_expert"):
        from django.db.models import Q

        from tandem.trajectories.models import ExpertSupportRequest, ExpertSupportStatus
        from tandem.trajectories.selectors import trajectory_queryset_for

        context["expert_requests"] = list(
            ExpertSupportRequest.objects.filter(trajectory__in=trajectory_queryset_for(user))
            .filter(
                Q(status=ExpertSupportStatus.REQUESTED)
                | Q(status=ExpertSupportStatus.ACCEPTED, expert=user)
            )
            .order_by("created_at")[:20]
        )
    if has_capability(user, "groupwork.coach"):
        from tandem.groupwork.enrolment.selectors import coach_sessions, requests_for

        today = timezone.localdate()
        context["group_requests"] = requests_for(user).count()
        context["group_sessions"] = list(
            coach_sessions(user)
            .filter(on__gte=today - dt.timedelta(days=7), on__lte=today + dt.timedelta(days=7))
            .order_by("on", "starts_at")[:10]
        )
    if has_capability(user, "groupwork.view_via_trajectory"):
        from tandem.groupwork.enrolment.selectors import dropout_signals_for

        signals = list(dropout_signals_for(user)[:20])
        if signals:
            from tandem.access.log import log_persons_shown

            log_persons_shown(
                request,
                [e.trajectory.person for e in signals],
                what="home: group-work drop-out signals",
            )
        context["dropout_signals"] = signals
    if Role.PROGRAMME_MANAGER in codes:
        context["province_counts"] = _province_counts()
        context["disclosure_note"] = disclosure_note()
        context["projects"] = Project.objects.select_related("promoter").order_by(
            "province", "name"
        )
    if Role.ADMIN in codes:
        context["admin_stats"] = {
            "organisations": Organisation.objects.count(),
            # Role names in the reader's language, never the stored codes.
            "roles": [
                {
                    "role": Role(row["role"]).label if row["role"] in Role.values else row["role"],
                    "n": row["n"],
                }
                for row in RoleAssignment.objects.values("role")
                .annotate(n=Count("pk"))
                .order_by("role")
            ],
        }
    return render(request, "common/home.html", context)
