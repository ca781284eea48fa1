"""Views of the trajectory core: start, the trajectory page, status, duo, plan, contacts,
experience-expert support and the caseload."""

from __future__ import annotations

from django.http import HttpResponse

from tandem.accounts.decorators import AuthenticatedRequest


def _todo(request: AuthenticatedRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


caseload = trajectory_start = trajectory_detail = trajectory_transition = _todo
trajectory_duo = plan_edit = goal_create = action_create = action_update = _todo
contact_create = expert_request = expert_request_respond = _todo
