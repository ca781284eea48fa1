"""Load the demo: the organisations and projects of the sources, one login per role, and about
a thousand people with households. Deterministic for a given --seed, and safe to run again."""

from __future__ import annotations

import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tandem.accounts.models import Organisation, Role, User
from tandem.audit.services import audit_events_in_bulk
from tandem.demo import data as demo_data
from tandem.demo.organisations import DEMO_PASSWORD, DEMO_USERS, seed_organisations, seed_users
from tandem.demo.persons import seed_persons
from tandem.registry.models import Person
from tandem.trajectories.models import Trajectory

# Persons that get demo trajectories: those of the VDAB offices and of the outreach partners
# that bring people to them.
VDAB_AND_PARTNERS = (
    "vdab",
    "vdab-antwerpen",
    "vdab-hasselt",
    "vdab-gent",
    "vdab-leuven",
    "vdab-brugge",
    "in-z",
    "vzw-jes",
    "ocmw-gent",
)


class Command(BaseCommand):
    help = "Load deterministic demo data (organisations, projects, demo logins, persons)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--persons", type=int, default=1000, help="How many persons (default 1000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "TANDEM_ENVIRONMENT", "") == "production":
            raise CommandError("seed_demo refuses to run with production settings.")
        if options["persons"] < 0:
            raise CommandError("--persons must be 0 or more.")
        seed: int = options["seed"]
        started = time.monotonic()
        with audit_events_in_bulk():
            orgs = seed_organisations()
            self._projects(orgs)
            users = seed_users(orgs)
            from tandem.demo.directory import seed_directory

            services = seed_directory(orgs)
        # One transaction for the lot: on SQLite a commit per person costs more than the person.
        with audit_events_in_bulk():
            created = seed_persons(
                orgs, users, seed=seed, count=options["persons"], write=self.stdout.write
            )
        with audit_events_in_bulk():
            trajectories = self._trajectories(orgs, users, seed=seed)
            from tandem.demo.referrals import seed_referrals

            referrals = seed_referrals(random.Random(seed + 2))
        if trajectories:
            self.stdout.write(f"  trajectories: {trajectories}")
        if services:
            self.stdout.write(f"  directory services: {services}")
        if referrals:
            self.stdout.write(f"  referrals: {referrals}")
        with audit_events_in_bulk():
            from tandem.demo.groupwork import seed_group_work

            programmes, modules, enrolments = seed_group_work(random.Random(seed + 3))
        if programmes:
            self.stdout.write(
                f"  group work: {programmes} programmes, {modules} modules, {enrolments} enrolments"
            )
        with audit_events_in_bulk():
            from tandem.demo.group_goals import seed_group_goals

            starts, both, expert_requests = seed_group_goals(random.Random(seed + 6))
        if starts or expert_requests:
            self.stdout.write(
                f"  group work goals: {starts} enrolments with a self-assessment at the start, "
                f"{both} also at the end; {expert_requests} expert requests by group coaches"
            )
        with audit_events_in_bulk():
            from tandem.demo.outcomes import seed_outcomes

            # After trajectories and group work: the legacy import tops up their 2018–2019.
            outcomes = seed_outcomes(random.Random(seed + 5))
        self.stdout.write(
            f"  outcomes: {outcomes.trajectories} legacy trajectories "
            f"({outcomes.trajectories_created} new), {outcomes.events} status events "
            f"({outcomes.events_created} new)"
        )
        with audit_events_in_bulk():
            from tandem.demo.outreach import seed_outreach

            places, prospects, registered = seed_outreach(random.Random(seed + 4))
        if prospects:
            self.stdout.write(
                f"  outreach: {places} find places, {prospects} people met, {registered} linked"
            )
        with audit_events_in_bulk():
            from tandem.demo.jobcoaching import seed_current_coaching

            # Issue 18: the job coach's caseload, job coaching that runs today.
            coachings = seed_current_coaching(random.Random(seed + 18))
        if coachings:
            self.stdout.write(f"  job coaching running today: {coachings}")
        with audit_events_in_bulk():
            from tandem.demo.intake import seed_intake

            # Issue 18: VDAB Gent's intake queue, after the persons and their trajectories.
            intakes = seed_intake(random.Random(seed + 19))
        if intakes:
            self.stdout.write(f"  intake queue: {intakes} referrals to VDAB Gent")
        with audit_events_in_bulk():
            from tandem.demo.subject_requests import seed_subject_requests

            # Issue 18: the DPO's register of data-subject requests (after the intake queue:
            # its persons are not drawn).
            subject_requests = seed_subject_requests(random.Random(seed + 20))
        if subject_requests:
            self.stdout.write(f"  data-subject requests: {subject_requests} in the DPO's register")
        with audit_events_in_bulk():
            from tandem.demo.settle import settle_worklists

            # Issue 18: today's work, not years of it: old open actions done, old POP input
            # taken into the POP, a handful of fresh follow-ups (draws no random numbers).
            done, adopted, experts, follow_ups = settle_worklists(timezone.localdate())
        if done or adopted or experts or follow_ups:
            self.stdout.write(
                f"  worklists settled: {done} old actions done, {adopted} old POP inputs "
                f"adopted, {experts} old expert requests answered or done, {follow_ups} "
                "follow-up actions planned"
            )
        with audit_events_in_bulk():
            from tandem.demo.agenda import seed_agenda

            # Issue 18: the demo duo's week in the agenda (times, home visits, today's).
            planned = seed_agenda(random.Random(seed + 21))
        if planned:
            self.stdout.write(f"  agenda: {planned} contacts planned this week")
        with audit_events_in_bulk():
            from tandem.demo.contact_rhythm import settle_contacts

            # Issue 18: past planned contacts recorded, a contact every few weeks, a handful
            # not yet recorded (after the agenda, whose week it leaves; no random numbers).
            held, missed, next_planned = settle_contacts(timezone.localdate())
        if held or missed or next_planned:
            self.stdout.write(
                f"  contacts settled: {held} held, {missed} missed or cancelled, "
                f"{next_planned} next contacts planned"
            )
        from tandem.demo.notifications import settle_notifications

        # Issue 18: after every service that notifies; the last two weeks stay unread.
        read, unread = settle_notifications()
        self.stdout.write(f"  notifications: {unread} unread, {read} older ones read")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.0f} s: {len(orgs)} "
                f"organisations, {Person.objects.count()} persons ({created} new)."
            )
        )
        from tandem.demo.api_clients import seed_api_clients

        api_tokens = seed_api_clients(orgs, seed=seed)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(role) for role, *_ in DEMO_USERS) + 1
        for role, code, *_ in DEMO_USERS:
            self.stdout.write(f"  demo_{role:<{width}} {Role(role).label} — {orgs[code].name}")
        for name, scopes, token in api_tokens:
            self.stdout.write(f"  API token ({name}; {', '.join(scopes)}): {token}")

    def _projects(self, orgs: dict[str, Organisation]) -> None:
        from tandem.demo.programmes import seed_calls_and_projects

        seed_calls_and_projects(orgs)

    def _trajectories(
        self, orgs: dict[str, Organisation], users: dict[str, User], *, seed: int
    ) -> int:
        """Trajectories in every state over 2018–2025; only on a database that has none."""
        if Trajectory.objects.exists():
            return 0
        from tandem.demo import trajectories as trajectory_demo

        hooks = trajectory_demo_hooks()
        return trajectory_demo.seed_trajectories(
            persons=list(
                Person.objects.filter(organisation__code__in=VDAB_AND_PARTNERS)
                .select_related("organisation")
                .order_by("pk")
            ),
            mediator_for=lambda p: users[demo_data.vdab_code(p.province)],
            partner_for=lambda p: users.get(f"welfare:{p.province}"),
            rng=random.Random(seed + 1),
            **hooks,
        )


def trajectory_demo_hooks() -> dict[str, Any]:
    """Demo readings, POPs and job starts, made through the services that own them."""
    from tandem.demo import trajectories as trajectory_demo

    return {
        "on_active": trajectory_demo.demo_active,
        "on_employed": trajectory_demo.demo_job_start,
    }
