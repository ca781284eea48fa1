"""How an app adds its part to the subject-access export and to retention and erasure.

Each app keeps its part in one module, ``<app>/privacy.py``, which the privacy app imports at
start-up (``PrivacyConfig.ready``, ``autodiscover_modules("privacy")``). There it registers

- **export sections** (``register_export_section``): a key (the JSON key), a title and a
  function that collects the section's data for one person, with ``record`` to turn a row into
  plain data;
- **retention steps** (``register_retention_step``): one record type, how to count it and how
  to erase or pseudonymise it for a list of persons, with ``delete_rows`` for the common case.

Both carry an ``order``: the place of the section in the export (its JSON keys and the PDF's
chapters follow it) and of the step in a run (the deletion order: most foreign keys are
PROTECT, so children go before their parents and links are cleared before the rows they point
at are deleted). Equal orders keep the order of registration. The orders in use, by hundreds:

====  ===============================  ==========================================
      export section                   retention step
====  ===============================  ==========================================
100   person, household, income        trajectory content (trajectories)
200   screenings                       screenings (screening)
300   trajectories … expert support    household (registry)
400   assignments (registry)           identity → pseudonym (registry)
500   consents, referrals (network)    access-log pseudonyms (privacy)
600   access history (privacy)         referrals, consents (network)
700   group work                       group work
800   outcomes                         outcomes
====  ===============================  ==========================================

This module imports nothing from the apps and lives low, in ``common`` beside the page-panel
registry (``common/panels.py``), so any app's ``privacy.py`` imports it downwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A section or step registered without an order comes after the others.
LAST = 10_000

# --- export sections -------------------------------------------------------------------------

Collect = Callable[[Any], Any]


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: Promise | str
    collect: Collect
    # Labels for the PDF of keys that are not field names of a model listed in LABEL_MODELS.
    labels: Mapping[str, Promise | str] = field(default_factory=dict)
    # A section Tandem does not record yet: its empty value means "not recorded", not "none".
    placeholder: bool = False
    order: int = LAST


_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(
    key: str,
    title: Promise | str,
    *,
    labels: Mapping[str, Promise | str] | None = None,
    placeholder: bool = False,
    order: int = LAST,
) -> Callable[[Collect], Collect]:
    """Register the function that collects one section of the export (a decorator).

    A key can be registered once; only a placeholder section can be replaced (by the app that
    comes to record it).
    """

    def decorator(collect: Collect) -> Collect:
        existing = _SECTIONS.get(key)
        if existing is not None and not existing.placeholder:
            raise ImproperlyConfigured(f"The export already has a section {key!r}.")
        _SECTIONS[key] = ExportSection(
            key=key,
            title=title,
            collect=collect,
            labels=labels or {},
            placeholder=placeholder,
            order=order,
        )
        return collect

    return decorator


def export_sections() -> list[ExportSection]:
    """The sections in export order."""
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def plain(value: Any) -> Any:
    """A value as the export holds it: an aware date and time in local time."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def record(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row: related rows by name, choices with their label."""
    out: dict[str, Any] = {}
    for name in fields:
        f = obj._meta.get_field(name)
        if f.is_relation:
            related = getattr(obj, name)
            out[name] = str(related) if related is not None else None
            continue
        value = getattr(obj, name)
        out[name] = plain(value)
        if getattr(f, "choices", None) and value not in ("", None):
            out[f"{name}_label"] = str(getattr(obj, f"get_{name}_display")())
    return out


# --- retention steps -------------------------------------------------------------------------

# Periods in years. The reasoning is in the README ("Security and privacy").
DEFAULT_RETENTION: dict[str, int] = {"case_content": 5, "screenings": 5, "access_log": 10}
PERIOD_LABELS: dict[str, Promise] = {
    "case_content": _("Case content and identity"),
    "screenings": _("Screenings"),
    "access_log": _("Access log"),
}
# Stored where a required text must stay non-empty after its content is erased.
ERASED = "[erased]"
# Persons per call of a step, and rows per bulk update.
CHUNK = 500


@dataclass
class StepResult:
    counts: dict[str, int] = field(default_factory=dict)
    persons: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class RetentionStep:
    """One record type: how to count and erase (or pseudonymise) it for a list of persons.

    ``run(person_ids, write)`` counts what it would change and changes it only when ``write``
    is true, so a dry run reports exactly the counts of a real run.
    """

    period: str
    # Report keys this step fills, in report order, with their labels.
    labels: dict[str, Promise]
    run: Callable[[Sequence[int], bool], StepResult]
    order: int = LAST


_STEPS: list[RetentionStep] = []


def register_retention_step(step: RetentionStep) -> RetentionStep:
    """Add a record type. Steps run by ``order`` (then in registration order); a step whose
    records point at case content must come before the step that deletes what they point at."""
    if step.period not in DEFAULT_RETENTION:
        raise ImproperlyConfigured(f"Unknown retention period {step.period!r}.")
    _STEPS.append(step)
    return step


def retention_steps() -> list[RetentionStep]:
    """The steps in run (deletion) order."""
    return sorted(_STEPS, key=lambda s: s.order)


def delete_rows(
    key: str, queryset: QuerySet[Any], person_path: str, write: bool, result: StepResult
) -> None:
    """Count the rows under ``key`` and the persons they belong to (``person_path`` from the
    row to the person's id); delete them when ``write``."""
    n = queryset.count()
    result.counts[key] = result.counts.get(key, 0) + n
    if n:
        result.persons.update(queryset.order_by().values_list(person_path, flat=True).distinct())
        if write:
            queryset.delete()


@dataclass(frozen=True)
class LogExpiry:
    """A log kept about no person in particular (the API's request log): retention does not
    reach it through persons, so it runs once per retention run. ``run(years, write)`` counts
    the rows past ``period`` that still hold an identifying column and clears it only when
    ``write`` (rows of a log are never deleted)."""

    key: str
    label: Promise
    period: str
    run: Callable[[int, bool], int]


_EXPIRIES: list[LogExpiry] = []


def register_log_expiry(expiry: LogExpiry) -> LogExpiry:
    if expiry.period not in DEFAULT_RETENTION:
        raise ImproperlyConfigured(f"Unknown retention period {expiry.period!r}.")
    _EXPIRIES.append(expiry)
    return expiry


def log_expiries() -> list[LogExpiry]:
    return list(_EXPIRIES)
