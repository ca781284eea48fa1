"""The demo DPO's register of data-subject requests (issue 18): a realistic mix, so the home page
of ``demo_data_protection_officer`` has work in it — one access request overdue, three open
(one just in, one extended with a reason), an access request answered, an objection refused
with its ground, and an erasure request done after the erasure (the register keeps it under the
person's pseudonym). Written through the services, the days relative to today; the persons are
drawn per seed from the persons of VDAB's offices without a trajectory or intake item, but for
the erasure: a person who registered on their own (``_registered_to_erase``), so that no other
step makes them again on a second run. Runs once: a demo with requests is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tandem.accounts.models import User
from tandem.privacy import erasure
from tandem.privacy.requests.models import SubjectRequest
from tandem.privacy.requests.services import (
    subject_request_extend,
    subject_request_move,
    subject_request_register,
)
from tandem.privacy.selectors import dpo_person_queryset
from tandem.registry.intake.models import Intake
from tandem.registry.models import Person
from tandem.registry.services import person_create
from tandem.trajectories.models import Trajectory

# (kind, channel, days ago received, note, what was done: (status, days after receipt, text))
PLAN: list[tuple[str, str, int, str, list[tuple[str, int, str]]]] = [
    (
        "access",
        "email",
        38,
        "Vraagt een kopie van alle gegevens en wie ze bekeek.",
        [("in_progress", 3, "")],
    ),
    ("erasure", "letter", 12, "Wil dat alle gegevens gewist worden.", []),
    ("rectification", "desk", 2, "Adres en telefoonnummer kloppen niet meer.", []),
    (
        "access",
        "letter",
        45,
        "Vraagt alle verslagen van de voorbije vijf jaar, ook van de partners.",
        [
            (
                "extend",
                20,
                "Veel gegevens bij meerdere partners; wij antwoorden uiterlijk binnen drie "
                "maanden.",
            ),
            ("in_progress", 21, ""),
        ],
    ),
    (
        "access",
        "email",
        70,
        "Kopie van het dossier.",
        [("done", 18, "Kopie (PDF) per aangetekende brief verstuurd.")],
    ),
    (
        "objection",
        "letter",
        95,
        "Maakt bezwaar tegen het doorgeven van gegevens aan het OCMW.",
        [
            (
                "refused",
                25,
                (
                    "Doorgeven is nodig voor de begeleiding (art. 6(1)(e) AVG); bezwaar "
                    "afgewezen na afweging, klachtrecht bij de GBA vermeld."
                ),
            )
        ],
    ),
    (
        "erasure",
        "letter",
        60,
        "Vraagt de wissing van de gegevens na het einde van de begeleiding.",
        [("erase", 10, ""), ("done", 10, "Gegevens gewist; bevestiging per brief verstuurd.")],
    ),
]


# The person who asks for the erasure registered with the office on their own (one the other
# demo steps do not make): the persons demo and the legacy import top up what they find
# missing on a second run, so an erased person of theirs (their national number gone) came
# back as a new person.
ERASED_NAMES = [("Sofie", "Verhaegen"), ("Karim", "Bouzid"), ("Lotte", "De Smet")]
# Where they live when the profile has no address (a demo of legacy persons only).
CAPITALS = {
    "antwerpen": ("2000", "Antwerpen"),
    "limburg": ("3500", "Hasselt"),
    "oost_vlaanderen": ("9000", "Gent"),
    "vlaams_brabant": ("3000", "Leuven"),
    "west_vlaanderen": ("8000", "Brugge"),
    "brussel": ("1000", "Brussel"),
}


def _registered_to_erase(profile: Person, rng: random.Random) -> Person:
    """A person registered by a colleague of ``profile``'s office, with its profile (gender,
    province, education, ...) but a name of their own and no national number."""
    registrar = (
        User.objects.filter(organisation=profile.organisation, is_active=True)
        .order_by("pk")
        .first()
    )
    assert registrar is not None
    first_name, last_name = ERASED_NAMES[rng.randrange(len(ERASED_NAMES))]
    data = {
        field: getattr(profile, field)
        for field in (
            "gender",
            "languages",
            "postal_code",
            "municipality",
            "province",
            "education",
            "registration",
            "benefit",
            "nationality_group",
            "foreign_background",
            "disability",
        )
    }
    if not (profile.municipality and profile.postal_code):
        data["postal_code"], data["municipality"] = CAPITALS.get(
            profile.province, CAPITALS["oost_vlaanderen"]
        )
    data.update(
        first_name=first_name,
        last_name=last_name,
        insz=None,
        birth_date=profile.birth_date.replace(day=1),
    )
    return person_create(acting_user=registrar, data=data, confirmed_distinct=True)


def seed_subject_requests(rng: random.Random) -> int:
    """Fill the demo DPO's register; return how many requests were made."""
    if SubjectRequest.objects.exists():
        return 0
    dpo = User.objects.filter(username="demo_data_protection_officer").first()
    if dpo is None or dpo.organisation is None:
        return 0
    pool = list(
        dpo_person_queryset(dpo)
        .exclude(first_name="")
        .exclude(Exists(Trajectory.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(Intake.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")[:300]
    )
    if len(pool) < len(PLAN):
        return 0
    persons = rng.sample(pool, len(PLAN))
    today = timezone.localdate()
    for drawn, (kind, channel, ago, note, steps) in zip(persons, PLAN, strict=True):
        received = today - dt.timedelta(days=ago)
        person = drawn
        if any(step == "erase" for step, _after, _text in steps):
            # (a profile with an address: the legacy import's persons have none)
            profiles = [p for p in pool if p.municipality and p.postal_code] or [drawn]
            person = _registered_to_erase(rng.choice(profiles), rng)
        request = subject_request_register(
            acting_user=dpo,
            person=person,
            kind=kind,
            channel=channel,
            received_on=received,
            note=note,
        )
        for step, after, text in steps:
            on = received + dt.timedelta(days=after)
            if step == "extend":
                subject_request_extend(acting_user=dpo, request=request, reason=text, today=on)
            elif step == "erase":
                erasure.person_erase(
                    acting_user=dpo, person=person, reason=f"Verzoek van {received:%d/%m/%Y}"
                )
                request.refresh_from_db()
            else:
                subject_request_move(
                    acting_user=dpo, request=request, to_status=step, reason=text, today=on
                )
    return len(PLAN)
