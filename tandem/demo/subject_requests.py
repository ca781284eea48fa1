"""The demo DPO's register of data-subject requests (issue 18): a realistic mix, so the home page
of ``demo_data_protection_officer`` has work in it — one access request overdue, three open
(one just in, one extended with a reason), an access request answered, an objection refused
with its ground, and an erasure request done after the erasure (the register keeps it under the
person's pseudonym). Written through the services, the days relative to today; the persons are
drawn per seed from the persons of VDAB's offices without a trajectory or intake item. Runs
once: a demo with requests is left alone.
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
    for person, (kind, channel, ago, note, steps) in zip(persons, PLAN, strict=True):
        received = today - dt.timedelta(days=ago)
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
