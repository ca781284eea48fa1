from django.http import HttpRequest

from .models import Role
from .roles import PERSON_READ_ROLES, PERSON_WRITE_ROLES


def roles(request: HttpRequest) -> dict[str, object]:
    """Expose the user's roles to templates so navigation shows only what they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    codes = user.role_codes
    return {
        "user_roles": [Role(code) for code in sorted(codes)],
        "can_read_persons": bool(codes & PERSON_READ_ROLES),
        "can_write_persons": bool(codes & PERSON_WRITE_ROLES),
        "has_caseload": bool(codes & {Role.MEDIATOR, Role.WELFARE_PARTNER}),
        "is_group_coach": Role.GROUP_COACH in codes,
        "is_outreach_worker": Role.OUTREACH_WORKER in codes,
        "is_programme_manager": Role.PROGRAMME_MANAGER in codes,
        "sees_group_work": bool(codes & {Role.MEDIATOR, Role.PROGRAMME_MANAGER}),
    }
