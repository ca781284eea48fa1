"""The privacy app's own part of the export and of retention: the access log.

The export's "Who read the file" names the organisation, role, what and why of each read, not
the employee (CJEU C-579/21, *Pankki S*) and not their IP address. Access-log rows are never
deleted; after their own retention period (``access_log``) their person and user references
(and IP address) are replaced by keyed pseudonyms (``tandem.audit.pseudonyms``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role
from tandem.audit.models import PURPOSE_LABELS, WHAT_LABELS, AccessLog
from tandem.audit.pseudonyms import accesslog_pseudonymise
from tandem.common.privacy_hooks import (
    RetentionStep,
    StepResult,
    register_export_section,
    register_retention_step,
)
from tandem.registry.models import Person

from .retention import retention_periods


def _role_labels(codes: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes.split(",") if c)


@register_export_section(
    "access_history",
    _("Who read the file"),
    labels={"at": _("when"), "roles": _("role")},
    order=600,
)
def _access_history(person: Person) -> list[dict[str, Any]]:
    rows = (
        AccessLog.objects.filter(person=person).select_related("organisation").order_by("at", "pk")
    )
    return [
        {
            "at": timezone.localtime(row.at),
            "organisation": str(row.organisation) if row.organisation else None,
            "roles": _role_labels(row.roles),
            "what": str(WHAT_LABELS.get(row.what, row.what)),
            "purpose": str(PURPOSE_LABELS.get(row.purpose, row.purpose)),
        }
        for row in rows
    ]


def access_log_pseudonymise(person_ids: Sequence[int], write: bool) -> StepResult:
    # Only rows past the access log's own period, by the database's clock on PostgreSQL (and
    # only through its function there: the application role may not update the access log).
    result = StepResult()
    n, touched = accesslog_pseudonymise(
        person_ids, years=retention_periods()["access_log"], write=write
    )
    result.counts["access_log"] = n
    result.persons.update(touched)
    return result


register_retention_step(
    RetentionStep(
        period="access_log",
        labels={"access_log": _("Access-log rows pseudonymised")},
        run=access_log_pseudonymise,
        order=500,
    )
)
