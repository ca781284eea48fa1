"""Writes for projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from tandem.accounts.models import Organisation, User
from tandem.audit.services import audit_event_record

from .models import Project


@transaction.atomic
def project_upsert(
    *,
    acting_user: User | None,
    code: str,
    name: str,
    promoter: Organisation,
    start_date: dt.date,
    end_date: dt.date,
    budget: Decimal,
    province: str = "",
    area: str = "",
    description: str = "",
    partners: Iterable[Organisation] = (),
) -> Project:
    """Create the project with this code, or bring an existing one up to date."""
    project = Project.objects.filter(code=code).first() or Project(code=code)
    project.name = name
    project.promoter = promoter
    project.start_date = start_date
    project.end_date = end_date
    project.budget = budget
    project.province = province
    project.area = area
    project.description = description
    created = project.pk is None
    project.full_clean()
    project.save()
    project.partners.set(list(partners))
    audit_event_record(
        actor=acting_user,
        organisation=promoter,
        event_type="project.created" if created else "project.updated",
        data={"code": code},
    )
    return project
