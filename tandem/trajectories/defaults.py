"""Reference data that ships with the trajectories app: the default measurement scale, an open
five-level self-sufficiency scale per life domain (DOMAIN.md §4). Loaded by a data migration
(with the historical models) and by anything that must restore it, such as browser tests that
flush the database. The labels are data in Dutch, like the signal checklist."""

from __future__ import annotations

from typing import Any

DEFAULT_SCALE_CODE = "zrm-5"
DEFAULT_SCALE_NAME = "Zelfredzaamheid (5 niveaus)"
DEFAULT_SCALE_DESCRIPTION = (
    "Open schaal naar de zelfredzaamheidsmatrix: per levensdomein een niveau van 1 (acute "
    "problematiek) tot 5 (volledig zelfredzaam), samen met de cliënt afgesproken."
)
# value, label, one-line description
DEFAULT_LEVELS: tuple[tuple[int, str, str], ...] = (
    (1, "Acute problematiek", "Er is een crisis of acuut gevaar; hulp is meteen nodig."),
    (2, "Niet zelfredzaam", "De situatie is ernstig; zonder hulp lukt het niet."),
    (3, "Beperkt zelfredzaam", "Het lukt deels, met hulp of ondersteuning; nog niet stabiel."),
    (4, "Voldoende zelfredzaam", "Het lukt grotendeels zelf, soms met hulp uit het eigen netwerk."),
    (5, "Volledig zelfredzaam", "Het lukt helemaal zelfstandig; er is geen hulp nodig."),
)


def load_default_scale(apps: Any) -> None:
    """Create the default scale and its levels when they are missing; change nothing else.

    Idempotent. An existing scale with the code keeps its name and levels (readings refer to
    level values), and it becomes the default only when no other scale is the default.
    """
    Scale = apps.get_model("trajectories", "Scale")
    ScaleLevel = apps.get_model("trajectories", "ScaleLevel")
    scale = Scale.objects.filter(code=DEFAULT_SCALE_CODE).first()
    if scale is None:
        scale = Scale.objects.create(
            code=DEFAULT_SCALE_CODE,
            name=DEFAULT_SCALE_NAME,
            description=DEFAULT_SCALE_DESCRIPTION,
            is_default=not Scale.objects.filter(is_default=True).exists(),
        )
    existing = set(ScaleLevel.objects.filter(scale=scale).values_list("value", flat=True))
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, label=label, description=description)
        for value, label, description in DEFAULT_LEVELS
        if value not in existing
    )
