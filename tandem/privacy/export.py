"""The subject-access export (GDPR art. 15): everything Tandem holds about one person.

The export is a list of sections, each with a key (the JSON key), a title and a function that
collects the section's data for a person. Each app registers its own sections in its
``privacy.py`` (``tandem.common.privacy_hooks.register_export_section``), so an app added later
contributes its own data without this module knowing it. A key can be registered once.

It is the person's own data, so it is complete: special-category notes (health, addiction,
justice) included. Who may run it is decided by the views (``tandem.privacy.selectors``). The
access history names the organisation, role, what and why of each read, not the employee
(CJEU C-579/21, *Pankki S*: the employees' identity is not owed) and not their IP address.

``person_export`` returns plain Python data (dates, decimals); the JSON view serialises it and
``export_outline`` turns it into headings, facts and tables for the PDF.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tandem.audit.models import AccessLog
from tandem.common.privacy_hooks import export_sections, plain
from tandem.registry.models import HouseholdMember, IncomeComponent, Person, PersonAssignment
from tandem.screening.models import Screening
from tandem.trajectories.models import (
    Action,
    Assessment,
    Contact,
    ExpertSupportRequest,
    Goal,
    JobCoaching,
    JobStart,
    LeadHandover,
    PopReport,
    Reading,
    RetentionCheck,
    StatusChange,
    Trajectory,
)

FORMAT = "tandem.subject-access-export"
VERSION = 1


def person_export(person: Person) -> dict[str, Any]:
    """Collect every section for one person (the person's data as stored, with labels)."""
    sections = export_sections()
    data: dict[str, Any] = {
        "export": {
            "format": FORMAT,
            "version": VERSION,
            "generated_at": timezone.localtime(),
            "language": get_language(),
            "sections": [s.key for s in sections],
            # Sections Tandem does not record yet: their empty list means "not recorded", not
            # "none".
            "not_recorded_yet": [s.key for s in sections if s.placeholder],
        }
    }
    for section in sections:
        data[section.key] = section.collect(person)
    return data


# --- the PDF outline -------------------------------------------------------------------------

# Models whose field names label the export's keys in the PDF (the first one wins).
LABEL_MODELS: list[type[models.Model]] = [
    Trajectory,
    Screening,
    HouseholdMember,
    IncomeComponent,
    StatusChange,
    LeadHandover,
    Goal,
    Action,
    Contact,
    Assessment,
    Reading,
    PopReport,
    JobStart,
    JobCoaching,
    RetentionCheck,
    ExpertSupportRequest,
    PersonAssignment,
    AccessLog,
    Person,
]
EXTRA_LABELS: dict[str, Promise] = {
    "public_id": _("reference"),
    "created_at": _("recorded on"),
    "lights": _("traffic lights"),
    "present": _("present"),
    "member": _("member"),
    "deprivation": _("material and social deprivation items"),
    "kind_en_gezin": _("Kind & Gezin criteria"),
}


@dataclass
class Block:
    """One piece of the PDF: a heading, a list of facts, a table, or a 'nothing' line."""

    kind: str
    level: int
    title: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)


def _labels(section_labels: Mapping[str, Promise | str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in LABEL_MODELS:
        for f in model._meta.get_fields():
            verbose = getattr(f, "verbose_name", None)
            if verbose and f.name not in labels:
                labels[f.name] = str(verbose)
    labels.update({k: str(v) for k, v in EXTRA_LABELS.items()})
    for other in export_sections():
        labels.update({k: str(v) for k, v in other.labels.items()})
    # The section's own labels win over another section's for the same key.
    labels.update({k: str(v) for k, v in section_labels.items()})
    return labels


def _text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(plain(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True)
    if isinstance(value, uuid.UUID):
        return str(value)[:8]
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _is_nested(value: Any) -> bool:
    return (isinstance(value, list) and any(isinstance(v, dict) for v in value)) or (
        isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values())
    )


def _visible_keys(item: Mapping[str, Any]) -> list[str]:
    # A code with a label shows as its label.
    return [k for k in item if not (k.endswith("_label") and k[: -len("_label")] in item)]


def _value(item: Mapping[str, Any], key: str) -> Any:
    return item.get(f"{key}_label", item[key])


def _outline_dict(item: Mapping[str, Any], level: int, labels: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    rows, nested = [], []
    for key in _visible_keys(item):
        value = item[key]
        if _is_nested(value):
            nested.append(key)
        else:
            rows.append((labels.get(key, key), _text(_value(item, key))))
    if rows:
        blocks.append(Block(kind="facts", level=level, rows=rows))
    for key in nested:
        blocks.append(Block(kind="heading", level=level + 1, title=labels.get(key, key)))
        blocks.extend(_outline_value(item[key], level + 1, labels))
    return blocks


def _outline_value(value: Any, level: int, labels: dict[str, str]) -> list[Block]:
    if value is None or value == [] or value == {}:
        return [Block(kind="empty", level=level)]
    if isinstance(value, dict):
        return _outline_dict(value, level, labels)
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if not any(_is_nested(v) for item in value for v in item.values()):
            keys = _visible_keys(value[0])
            return [
                Block(
                    kind="table",
                    level=level,
                    columns=[labels.get(k, k) for k in keys],
                    cells=[[_text(_value(item, k)) for k in keys] for item in value],
                )
            ]
        blocks = []
        for n, item in enumerate(value, start=1):
            blocks.append(Block(kind="heading", level=level + 1, title=f"{n}."))
            blocks.extend(_outline_dict(item, level + 1, labels))
        return blocks
    return [Block(kind="facts", level=level, rows=[("", _text(value))])]


def export_outline(data: Mapping[str, Any]) -> list[tuple[str, list[Block]]]:
    """The export as (section title, blocks) for the PDF template."""
    out = []
    for section in export_sections():
        labels = _labels(section.labels)
        out.append((str(section.title), _outline_value(data.get(section.key), 2, labels)))
    return out
