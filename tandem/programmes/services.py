"""Writes for calls, projects and their targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from tandem.accounts.models import Organisation, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from . import rules
from .models import Call, CallTarget, Project, ProjectTarget, TargetBound


@transaction.atomic
def call_upsert(
    *,
    acting_user: User | None,
    code: str,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    total_budget: Decimal,
    number: str = "",
    operational_programme: str = "",
    priority: str = "",
    investment_priority: str = "",
    esf_share_percent: Decimal | None = None,
    cofinancing_percent: Decimal | None = None,
    planned_projects: int | None = None,
    target_group: str = "",
    description: str = "",
    funds: Iterable[str] = (),
) -> Call:
    """Create the call with this code, or bring an existing one up to date.

    Give only ``esf_share_percent`` and the co-financing share is the rest of 100 %.
    """
    if esf_share_percent is not None and cofinancing_percent is None:
        cofinancing_percent = rules.HUNDRED - esf_share_percent
    call = Call.objects.filter(code=code).first() or Call(code=code)
    created = call.pk is None
    call.number = number
    call.title = title
    call.operational_programme = operational_programme
    call.priority = priority
    call.investment_priority = investment_priority
    call.start_date = start_date
    call.end_date = end_date
    call.total_budget = total_budget
    call.esf_share_percent = esf_share_percent
    call.cofinancing_percent = cofinancing_percent
    call.planned_projects = planned_projects
    call.target_group = target_group
    call.description = description
    call.funds = list(funds)
    call.full_clean()
    call.save()
    audit_event_record(
        actor=acting_user,
        event_type=Event.CALL_CREATED if created else Event.CALL_UPDATED,
        data={"code": code},
    )
    return call


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
    call: Call | None = None,
    esf_amount: Decimal | None = None,
    cofinancing_amount: Decimal | None = None,
) -> Project:
    """Create the project with this code, or bring an existing one up to date.

    Without a split of its own, a project of a call with stated shares is split by the call's
    ESF share (``rules.split_budget``); give ``esf_amount`` alone and co-financing is the rest
    of the budget; give both and they must add up to the budget.
    """
    budget = Decimal(budget)
    if esf_amount is not None and cofinancing_amount is None:
        cofinancing_amount = budget - esf_amount
    elif (
        esf_amount is None
        and cofinancing_amount is None
        and call is not None
        and call.esf_share_percent is not None
    ):
        esf_amount, cofinancing_amount = rules.split_budget(budget, call.esf_share_percent)
    project = Project.objects.filter(code=code).first() or Project(code=code)
    project.name = name
    project.call = call
    project.promoter = promoter
    project.start_date = start_date
    project.end_date = end_date
    project.budget = budget
    project.esf_amount = esf_amount
    project.cofinancing_amount = cofinancing_amount
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
        event_type=Event.PROJECT_CREATED if created else Event.PROJECT_UPDATED,
        data={"code": code},
    )
    return project


@transaction.atomic
def call_target_upsert(
    *,
    acting_user: User | None,
    call: Call,
    kind: str,
    value: int,
    due_date: dt.date | None = None,
    bound: str = TargetBound.AT_LEAST,
    note: str = "",
) -> CallTarget:
    """Set the call's target of this kind and due date (one per kind and date)."""
    target = CallTarget.objects.filter(call=call, kind=kind, due_date=due_date).first()
    target = target or CallTarget(call=call, kind=kind, due_date=due_date)
    created = target.pk is None
    target.value, target.bound, target.note = value, bound, note
    target.full_clean()
    target.save()
    audit_event_record(
        actor=acting_user,
        event_type=Event.CALL_TARGET_CREATED if created else Event.CALL_TARGET_UPDATED,
        data={"call": call.code, "kind": kind, "value": value},
    )
    return target


@transaction.atomic
def project_target_upsert(
    *,
    acting_user: User | None,
    project: Project,
    kind: str,
    value: int,
    due_date: dt.date | None = None,
    bound: str = TargetBound.AT_LEAST,
    note: str = "",
) -> ProjectTarget:
    """Set the project's target of this kind and due date (one per kind and date)."""
    target = ProjectTarget.objects.filter(project=project, kind=kind, due_date=due_date).first()
    target = target or ProjectTarget(project=project, kind=kind, due_date=due_date)
    created = target.pk is None
    target.value, target.bound, target.note = value, bound, note
    target.full_clean()
    target.save()
    audit_event_record(
        actor=acting_user,
        organisation=project.promoter,
        event_type=Event.PROJECT_TARGET_CREATED if created else Event.PROJECT_TARGET_UPDATED,
        data={"project": project.code, "kind": kind, "value": value},
    )
    return target
