"""Writing the demo persons with their households, in bulk: the same rows and the same audit
events as registering each person through the services. The persons are drawn in
``tandem.demo.person_specs``."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from faker import Faker

from tandem.accounts.models import Organisation, User
from tandem.audit.events import Event
from tandem.audit.models import AuditEvent
from tandem.demo.person_specs import LANGUAGES_BY_ORIGIN, person_spec
from tandem.registry import insz as insz_rules
from tandem.registry.models import (
    Household,
    HouseholdMember,
    IncomeComponent,
    Person,
    PersonAssignment,
    Relation,
)
from tandem.registry.services import PERSON_FIELDS, person_search_key

# Why a duo partner's organisation sees the person (shown on the person file).
DUO_REASON = "Duopartner in het werk-welzijnstraject"


def seed_persons(
    orgs: dict[str, Organisation],
    users: dict[str, User],
    *,
    seed: int,
    count: int,
    write: Callable[[str], object],
) -> int:
    """The persons with their households, written in bulk: the same rows and the same audit
    events as registering each person, entering the household (members, then income), its
    circumstances and the duo partner's assignment through the services, in a few
    queries instead of some thirty per person."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    fakers = {loc: Faker(loc) for loc in LANGUAGES_BY_ORIGIN}
    for i, fk in enumerate(fakers.values()):
        fk.seed_instance(seed + i)
    existing = set(Person.objects.exclude(insz=None).values_list("insz", flat=True))
    used: set[str] = set()
    specs = []
    for _index in range(count):
        spec = person_spec(rng, fakers, orgs, users, used)
        spec["data"]["insz"] = insz_rules.normalise(spec["data"]["insz"] or "") or None
        if spec["data"]["insz"] in existing:
            continue
        specs.append(spec)
    if not specs:
        return 0
    households = Household.objects.bulk_create(
        [Household(organisation=s["registrar"].organisation) for s in specs], batch_size=500
    )
    persons = []
    for spec, household in zip(specs, households, strict=True):
        values = {k: spec["data"][k] for k in PERSON_FIELDS if k in spec["data"]}
        person = Person(
            organisation=spec["registrar"].organisation,
            created_by=spec["registrar"],
            household=household,
            **values,
        )
        person.search_key = person_search_key(person.first_name, person.last_name)
        persons.append(person)
    persons = Person.objects.bulk_create(persons, batch_size=500)
    members: list[HouseholdMember] = []
    for spec, person, household in zip(specs, persons, households, strict=True):
        members.append(
            HouseholdMember(
                household=household,
                person=person,
                relation=Relation.SELF,
                first_name=person.first_name,
                birth_date=person.birth_date,
                activity=spec["activity"],
                months_worked=spec["months_worked"],
            )
        )
        members.extend(
            HouseholdMember(
                household=household,
                relation=m.relation,
                first_name=m.first_name,
                birth_date=m.birth_date,
                activity=m.activity,
                months_worked=m.months_worked,
            )
            for m in spec["members"]
        )
    members = HouseholdMember.objects.bulk_create(members, batch_size=500)
    by_household: dict[int, dict[tuple[str, str], HouseholdMember]] = {}
    for member in members:
        by_household.setdefault(member.household_id, {})[  # type: ignore[attr-defined]
            (member.relation, member.first_name)
        ] = member
    incomes: list[IncomeComponent] = []
    assignments: list[PersonAssignment] = []
    events: list[AuditEvent] = []
    for spec, person, household in zip(specs, persons, households, strict=True):
        registrar, organisation = spec["registrar"], household.organisation
        own = by_household[household.pk]
        incomes.extend(
            IncomeComponent(
                household=household,
                kind=kind,
                monthly_amount=amount,
                member=own.get(who) if who else None,
            )
            for kind, amount, who in spec["incomes"]
        )

        def event(event_type: Event, data: dict[str, Any], *, o: Organisation = organisation):
            return AuditEvent(
                actor=registrar,  # noqa: B023 - used only in this iteration
                organisation=o,
                person=person,  # noqa: B023
                event_type=event_type,
                data=data,
            )

        # What the services record, in their order: the household is entered as the form
        # does it (members first, then income with who receives it).
        events.append(event(Event.PERSON_CREATED, {"confirmed_distinct": True}))
        for income_components in (0, len(spec["incomes"])):
            events.append(
                event(
                    Event.HOUSEHOLD_UPDATED,
                    {
                        "members": len(own),
                        "members_removed": 0,
                        "income_components": income_components,
                    },
                )
            )
        if spec["deprivation"] or spec["kind_en_gezin"]:
            household.deprivation = {k: v for k, v in spec["deprivation"].items() if v is not None}
            household.kind_en_gezin = {
                k: v for k, v in spec["kind_en_gezin"].items() if v is not None
            }
            events.append(
                event(
                    Event.HOUSEHOLD_CIRCUMSTANCES_UPDATED,
                    {
                        "deprivation_recorded": len(household.deprivation),
                        "kind_en_gezin_recorded": len(household.kind_en_gezin),
                    },
                )
            )
        if spec["duo"] is not None:
            assignments.append(
                PersonAssignment(
                    person=person,
                    organisation=spec["duo"],
                    assigned_by=registrar,
                    reason=DUO_REASON,
                )
            )
            events.append(
                event(
                    Event.PERSON_ASSIGNED,
                    {"organisation": spec["duo"].code, "reason_given": True},
                    o=person.organisation,
                )
            )
    Household.objects.bulk_update(
        [h for h in households if h.deprivation or h.kind_en_gezin],
        ["deprivation", "kind_en_gezin"],
        batch_size=500,
    )
    IncomeComponent.objects.bulk_create(incomes, batch_size=500)
    PersonAssignment.objects.bulk_create(assignments, batch_size=500)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    write(f"  persons: {len(persons)}/{count}")
    return len(persons)
