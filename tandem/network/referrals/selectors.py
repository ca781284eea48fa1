"""Reads of referrals, and who sees what of them.

- The receiving organisation sees the referrals addressed to it (its users with a case role).
  Of the person it sees only what travelled *and* what a consent in force still covers, read
  at every request: once the person withdraws their consent the inbox keeps the referral (to
  close the loop) but shows no person data. A referral sent without consent (override) shows
  name and contact while it is open, nothing after.
- The sending side sees the referrals its organisation sent for trajectories it may see (and
  the duo those of its trajectory); referrals in special-category domains only the duo.
- Figures are aggregates for everyone who may open the page, small counts suppressed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils import timezone

from tandem.access.capabilities import has_capability
from tandem.access.scope import (
    active_consents_for,
    consent_names,
    domains_visible_to,
    duo_q,
    person_queryset_for,
    trajectory_queryset_for,
)
from tandem.accounts.models import Organisation, User
from tandem.common.aggregates import DaysBetween, Median
from tandem.common.disclosure import Relation, protect, shown, threshold
from tandem.common.models import SPECIAL_CATEGORY_DOMAINS
from tandem.trajectories.models import Action, Trajectory

from ..models import Consent, Referral, ReferralStatus, ReferralStatusChange, Service, ServiceStatus
from ..models.referral import OPEN_REFERRAL_STATUSES
from .rules import is_late, is_overdue, overdue_q
from .services import is_receiver

ENDED_STATUSES = frozenset(set(ReferralStatus.values) - OPEN_REFERRAL_STATUSES)


# --- scoping -----------------------------------------------------------------------------------


def _receiver_q(user: User) -> Q:
    if user.organisation_id is None or not has_capability(user, "referral.receive"):
        return Q(pk__in=[])
    return Q(receiving_organisation_id=user.organisation_id)


def _sender_q(user: User) -> Q:
    if user.organisation_id is None or not has_capability(user, "referral.send"):
        return Q(pk__in=[])
    duo = duo_q(user, via="trajectory")
    return (
        Q(trajectory__in=trajectory_queryset_for(user))
        & (Q(organisation_id=user.organisation_id) | duo)
        & (~Q(action__goal__domain__in=SPECIAL_CATEGORY_DOMAINS) | duo)
    )


def referral_queryset_for(user: User) -> QuerySet[Referral]:
    """The referrals a user may open: received by their organisation, or sent for a
    trajectory they may see."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return Referral.objects.filter(_receiver_q(user) | _sender_q(user))


def referral_get_for(user: User, public_id: uuid.UUID | str) -> Referral:
    """One referral the user may open, or 404 (missing or another's)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    qs = referral_queryset_for(user).select_related(
        "organisation",
        "receiving_organisation",
        "person",
        "trajectory__person",
        "trajectory__organisation",
        "action__goal",
        "service",
        "sent_by",
        "consent",
    )
    try:
        referral = qs.get(public_id=key)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    # A sending-side reader must see the action's domain (consent limits a duo partner of
    # another organisation).
    if (
        not is_receiver(user, referral)
        and referral.action is not None
        and referral.trajectory is not None
        and referral.action.goal.domain not in domains_visible_to(user, referral.trajectory)
    ):
        raise Http404
    return referral


def person_openable(user: User, referral: Referral) -> bool:
    """Whether the reader may open the file of the referral's person (a link on the page)."""
    return person_queryset_for(user).filter(pk=referral.person_id).exists()


# --- sending -----------------------------------------------------------------------------------


def action_to_refer(user: User, trajectory: Trajectory, action_id: int) -> Action:
    """A plan action of a trajectory the user sees, in a life domain they see, or 404."""
    try:
        action = Action.objects.select_related("goal").get(
            pk=action_id, goal__trajectory=trajectory
        )
    except Action.DoesNotExist as exc:
        raise Http404 from exc
    if action.goal.domain not in domains_visible_to(user, trajectory):
        raise Http404
    return action


def open_referral_of(action: Action) -> Referral | None:
    """The action's open referral (only its public id loaded), if it has one."""
    return (
        Referral.objects.filter(action=action, status__in=OPEN_REFERRAL_STATUSES)
        .only("public_id")
        .first()
    )


def services_to_refer_to(user: User, domain: str) -> QuerySet[Service]:
    """Active services of other organisations for this life domain (or for every domain)."""
    candidates = (
        Service.objects.filter(status=ServiceStatus.ACTIVE)
        .exclude(organisation=user.organisation)
        .only("pk", "life_domains")
    )
    # Filtered here: JSON "contains" is not available on every database.
    ids = [s.pk for s in candidates if not s.life_domains or domain in s.life_domains]
    return (
        Service.objects.filter(pk__in=ids)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def consented_by_organisation(person_id: int, services: Iterable[Service]) -> dict[int, set[str]]:
    """Per organisation offering a service: the domains the person consents to share now."""
    consents = list(
        Consent.objects.filter(person_id=person_id, withdrawn_on__isnull=True).only(
            "recipient_organisation_id", "recipient_kind", "domains"
        )
    )
    out: dict[int, set[str]] = {}
    for service in services:
        org = service.organisation
        out[org.pk] = {d for c in consents if consent_names(c, org) for d in c.domains}
    return out


# --- what a reader sees of the person ----------------------------------------------------------


@dataclass
class ReferralView:
    """A referral as one reader may see it: the person's data, or why not."""

    referral: Referral
    person_visible: bool
    domains: list[str]
    shared: dict[str, Any]
    consent_withdrawn: bool = False
    overdue: bool = False
    receiver: bool = False

    @property
    def person(self) -> dict[str, Any]:
        return self.shared.get("person", {})


def _filter_shared(data: dict[str, Any], domains: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"person": data.get("person", {})}
    if "work_education" in domains and "work_education" in data:
        out["work_education"] = data["work_education"]
    if "income" in domains and "household" in data:
        out["household"] = data["household"]
    out["plan"] = [g for g in data.get("plan", []) if g.get("domain") in domains]
    return out


def live_consented_domains(
    referrals: list[Referral], organisation: Organisation | None
) -> dict[int, set[str]]:
    """The domains each person consents to share with the organisation now (one query)."""
    if organisation is None or not referrals:
        return {}
    out: dict[int, set[str]] = defaultdict(set)
    rows = (
        active_consents_for(organisation)
        .filter(person_id__in={r.person_id for r in referrals})
        .values_list("person_id", "domains")
    )
    for person_id, domains in rows:
        out[person_id].update(domains or [])
    return out


def receiver_view(referral: Referral, live: set[str], today: dt.date | None = None) -> ReferralView:
    """What the receiving organisation sees: what travelled, narrowed to what consent still
    covers; for a referral sent without consent, name and contact while it is open."""
    if referral.consent_id is None:
        visible = referral.status in OPEN_REFERRAL_STATUSES
        domains: set[str] = set()
        withdrawn = False
    else:
        visible = bool(live)
        domains = set(referral.domains) & live
        withdrawn = not live
    return ReferralView(
        referral=referral,
        person_visible=visible,
        domains=[d for d in referral.domains if d in domains],
        shared=_filter_shared(referral.shared_data, domains) if visible else {},
        consent_withdrawn=withdrawn,
        overdue=is_overdue(referral, today),
        receiver=True,
    )


def sender_view(
    referral: Referral, visible_domains: frozenset[str], today: dt.date | None = None
) -> ReferralView:
    """What the sending side sees: what travelled, within the domains they may see."""
    domains = set(referral.domains) & set(visible_domains)
    return ReferralView(
        referral=referral,
        person_visible=True,
        domains=[d for d in referral.domains if d in domains],
        shared=_filter_shared(referral.shared_data, domains),
        overdue=is_overdue(referral, today),
    )


def referral_view_for(user: User, referral: Referral, today: dt.date | None = None) -> ReferralView:
    """The view of one referral for this reader (sending side first: it sees the trajectory)."""
    if (
        referral.trajectory is not None
        and Referral.objects.filter(_sender_q(user), pk=referral.pk).exists()
    ):
        return sender_view(referral, domains_visible_to(user, referral.trajectory), today)
    live = live_consented_domains([referral], referral.receiving_organisation)
    return receiver_view(referral, live.get(referral.person_id, set()), today)


# --- lists ---------------------------------------------------------------------------------------

LIST_RELATED = ("organisation", "receiving_organisation", "person", "service", "sent_by")


# The inbox, every filter, is read a page at a time by its keys (``keyset_page_of``, issue 20):
# newest first by (sent_at, id), columns that are never NULL and unique with the id. "All" and
# "answered" used to put the open referrals first, by a flag computed per row that no cursor
# can carry; they grow with every referral ever received, so they now read newest first like
# the rest, and the open ones keep their own filter (the default).
INBOX_KEYS = ("-sent_at", "-pk")


def inbox_queryset_for(user: User, *, status: str = "") -> QuerySet[Referral]:
    """The referrals addressed to the user's organisation, newest first, in the database's
    order (a page of it is read, not the whole inbox); ``status`` narrows to
    "new" (sent, not answered yet), "open", "answered" (the receiver answered: anything but
    sent or withdrawn), "closed" or one status."""
    qs = Referral.objects.filter(_receiver_q(user)).select_related(*LIST_RELATED)
    if status == "new":
        qs = qs.filter(status=ReferralStatus.SENT)
    elif status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status == "answered":
        qs = qs.exclude(status__in=(ReferralStatus.SENT, ReferralStatus.WITHDRAWN))
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_REFERRAL_STATUSES)
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(*INBOX_KEYS)


def inbox_views(
    user: User, referrals: Iterable[Referral], today: dt.date | None = None
) -> list[ReferralView]:
    """What the receiver sees of each of ``referrals`` (a page of the inbox): one query for
    the consents that still hold."""
    referrals = list(referrals)
    live = live_consented_domains(referrals, user.organisation)
    return [receiver_view(r, live.get(r.person_id, set()), today) for r in referrals]


def inbox_for(user: User, *, status: str = "", today: dt.date | None = None) -> list[ReferralView]:
    """The whole inbox as the receiver sees it (``inbox_queryset_for`` and ``inbox_views``);
    a page shows a page of the queryset instead. Two queries, whatever the size."""
    return inbox_views(user, inbox_queryset_for(user, status=status), today)


def sent_keys(status: str) -> tuple[str, ...]:
    """The keys the sent list of ``status`` is read by, a page at a time (``keyset_page_of``,
    issue 20). "Overdue", "open" and "closed": the longest-silent first, by (last_update_at,
    id) — the same order as overdue first: an overdue referral is an open one not updated since
    the cutoff, so among open referrals the overdue ones are exactly the oldest updates, and a
    closed one is never overdue. "All" mixes the two, and the overdue-first flag is computed
    per row, which no cursor can carry; it grows with every referral ever sent, so it is read
    newest first by (sent_at, id) (the overdue ones have their own filter)."""
    return ("-sent_at", "-pk") if status == "" else ("last_update_at", "pk")


def sent_for(
    user: User, *, overdue_only: bool = False, status: str = "", today: dt.date | None = None
) -> QuerySet[Referral]:
    """Referrals the user's organisation sent (for trajectories the user may see), in the
    order of ``sent_keys(status)``: the longest-silent first, newest first for "all"."""
    qs = (
        Referral.objects.filter(_sender_q(user), organisation=user.organisation)
        .select_related(*LIST_RELATED, "action__goal", "trajectory")
        .annotate(is_late=is_late(today))
    )
    if overdue_only:
        qs = qs.filter(overdue_q(today))
    elif status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_REFERRAL_STATUSES)
    return qs.order_by(*sent_keys("overdue" if overdue_only else status))


def referrals_by_action(trajectory_id: int) -> dict[int, Referral]:
    """The latest referral of each action of a trajectory (one query)."""
    out: dict[int, Referral] = {}
    rows = (
        Referral.objects.filter(trajectory_id=trajectory_id, action__isnull=False)
        .select_related("service", "receiving_organisation")
        .order_by("sent_at", "pk")
    )
    for r in rows:
        assert r.action_id is not None
        out[r.action_id] = r
    return out


def history_of(referral: Referral) -> list[ReferralStatusChange]:
    return list(referral.status_changes.select_related("by", "by__organisation"))


# --- figures -------------------------------------------------------------------------------------


def default_figure_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The period the referral figures show unless asked otherwise: the last twelve months up
    to and including ``today`` (from the day after the same date a year earlier). A rolling
    year: every season once, as many days in January as in December, so this month's figures
    compare with last month's."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1), today


@dataclass
class FigureRow:
    """Referral figures of one service, or of an organisation's services together: the counts
    and the median as the database computed them (``referral_figures``)."""

    name: str
    sent: int = 0
    accepted: int = 0
    ended: int = 0
    completed: int = 0
    answered: int = 0
    no_capacity: int = 0
    median_days_to_acceptance: float | None = None  # over the ``accepted`` referrals
    # Disclosure control (``protect_referral_figures``): the count of referrals sent is hidden.
    sent_hidden: bool = False

    # Shown figures: the count of referrals sent, hidden (the one mark) when small or when an
    # organisation's total would give a small one away; shares and the median only over a
    # base of at least the threshold, else None (the template says "too few").
    @property
    def sent_shown(self) -> str:
        return shown(self.sent, self.sent_hidden)

    @property
    def median_days(self) -> float | None:
        if self.accepted < threshold() or self.median_days_to_acceptance is None:
            return None
        return round(self.median_days_to_acceptance, 1)

    @property
    def share_completed(self) -> float | None:
        if self.ended < threshold():
            return None
        return round(100 * self.completed / self.ended, 1)

    @property
    def share_no_capacity(self) -> float | None:
        if self.answered < threshold():
            return None
        return round(100 * self.no_capacity / self.answered, 1)


@dataclass
class OrganisationFigures:
    total: FigureRow
    services: list[FigureRow]


def _figure_aggregates() -> dict[str, Any]:
    """The figures of a group of referrals (``acceptance``: the referral's change to accepted,
    of which the state machine allows one: only a sent referral can be accepted)."""
    accepted = Q(acceptance__pk__isnull=False)
    return {
        "sent": Count("pk"),
        "accepted": Count("pk", filter=accepted),
        "ended": Count("pk", filter=Q(status__in=ENDED_STATUSES)),
        "completed": Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        "answered": Count(
            "pk",
            filter=accepted | Q(status__in=(ReferralStatus.DECLINED, ReferralStatus.NO_CAPACITY)),
        ),
        "no_capacity": Count("pk", filter=Q(status=ReferralStatus.NO_CAPACITY)),
        "median_days": Median(DaysBetween("acceptance__at", "sent_at")),
    }


FIGURE_COUNTS = ("sent", "accepted", "ended", "completed", "answered", "no_capacity")


def referral_figures(*, date_from: dt.date, date_to: dt.date) -> list[OrganisationFigures]:
    """Per receiving organisation and per service, over the referrals sent from ``date_from``
    to ``date_to`` (both days included, local time): referrals sent, median days from sending
    to acceptance (over accepted referrals), share completed (of the referrals whose loop is
    closed) and share declined for lack of capacity (of the referrals the receiver answered:
    accepted, declined or no capacity). The one definition of these figures, for the page and
    its CSV; under disclosure control (``protect_referral_figures``).

    One query, whatever the number of referrals: two ``GROUP BY``s (per service, per
    organisation) joined by ``UNION ALL``; the median is the database's (``Median``)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    base = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .annotate(
            acceptance=FilteredRelation(
                "status_changes", condition=Q(status_changes__to_status=ReferralStatus.ACCEPTED)
            )
        )
        .order_by()
    )
    org = {"org": F("receiving_organisation_id"), "org_name": F("receiving_organisation__name")}
    per_service = base.values(
        **org, service_pk=F("service_id"), service_name=F("service__name")
    ).annotate(**_figure_aggregates())
    per_organisation = base.values(
        **org,
        service_pk=Value(None, output_field=IntegerField()),
        service_name=Value(None, output_field=CharField()),
    ).annotate(**_figure_aggregates())
    orgs: dict[int, OrganisationFigures] = {}
    for row in per_service.union(per_organisation, all=True):
        figures = FigureRow(
            name=row["service_name"] if row["service_pk"] is not None else row["org_name"],
            **{name: row[name] for name in FIGURE_COUNTS},
            median_days_to_acceptance=row["median_days"],
        )
        entry = orgs.setdefault(
            row["org"], OrganisationFigures(total=FigureRow(name=row["org_name"]), services=[])
        )
        if row["service_pk"] is None:
            entry.total = figures
        else:
            entry.services.append(figures)
    out = list(orgs.values())
    for entry in out:
        entry.services.sort(key=lambda r: r.name)
    out.sort(key=lambda o: o.total.name)
    protect_referral_figures(out)
    return out


def protect_referral_figures(organisations: list[OrganisationFigures]) -> None:
    """Hide the small counts of referrals sent, and so many others that no organisation's
    total (the sum of its services) gives a small one away."""
    cells: dict[Hashable, int] = {}
    relations = []
    for o, figures in enumerate(organisations):
        cells[(o, "total")] = figures.total.sent
        for s, row in enumerate(figures.services):
            cells[(o, s)] = row.sent
        relations.append(
            Relation((o, "total"), tuple((o, s) for s in range(len(figures.services))))
        )
    hidden = protect(cells, relations)
    for o, figures in enumerate(organisations):
        figures.total.sent_hidden = (o, "total") in hidden
        for s, row in enumerate(figures.services):
            row.sent_hidden = (o, s) in hidden
