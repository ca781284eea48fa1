"""Writes of the group-work catalogue: programmes (run by a project's promoter, in one
province) and their modules.

Groups (intake moments) with their sessions, enrolments with placement and the waiting list,
attendance and what the coach writes for the mediator are written in
``tandem.groupwork.enrolment``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.access.capabilities import has_capability
from tandem.accounts.models import User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record
from tandem.programmes.models import Project

from . import selectors
from .models import Module, Programme


def _require_plan(user: User, programme: Programme) -> None:
    if not selectors.can_plan(user, programme):
        raise PermissionDenied


@transaction.atomic
def programme_save(
    *,
    acting_user: User | None,
    project: Project,
    name: str,
    province: str,
    programme: Programme | None = None,
    coaches: Iterable[User] | None = None,
    dropout_after: int | None = None,
    description: str = "",
) -> Programme:
    """Create or change a programme: run by the project's promoter, in one province."""
    if acting_user is not None and not has_capability(acting_user, "groupwork.manage_programmes"):
        raise PermissionDenied
    programme = programme or Programme()
    created = programme.pk is None
    programme.project = project
    programme.promoter_id = project.promoter_id
    programme.name = name
    programme.province = province
    programme.dropout_after = dropout_after
    programme.description = description
    programme.full_clean()
    programme.save()
    if coaches is not None:
        coaches = list(coaches)
        not_coach = [c for c in coaches if not has_capability(c, "groupwork.coach")]
        if not_coach:
            raise ValidationError({"coaches": _("Only group coaches can run a programme.")})
        programme.coaches.set(coaches)
    audit_event_record(
        actor=acting_user,
        organisation=project.promoter,
        event_type=Event.GROUPWORK_PROGRAMME_CREATED
        if created
        else Event.GROUPWORK_PROGRAMME_UPDATED,
        data={"programme": programme.pk, "project": project.code},
    )
    return programme


@transaction.atomic
def module_save(
    *,
    acting_user: User | None,
    programme: Programme,
    name: str,
    theme: str,
    session_count: int,
    capacity: int | None = None,
    description: str = "",
    is_active: bool = True,
    module: Module | None = None,
) -> Module:
    if acting_user is not None:
        _require_plan(acting_user, programme)
    module = module or Module(programme=programme)
    if module.programme_id != programme.pk:
        raise PermissionDenied
    module.name = name
    module.theme = theme
    module.session_count = session_count
    if capacity is not None:
        module.capacity = capacity
    module.description = description
    module.is_active = is_active
    module.full_clean()
    module.save()
    audit_event_record(
        actor=acting_user,
        organisation=programme.promoter,
        event_type=Event.GROUPWORK_MODULE_SAVED,
        data={"module": module.pk, "programme": programme.pk},
    )
    return module
