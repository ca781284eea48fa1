from django.http import HttpRequest

from tandem.access.capabilities import has_capability

from .models import Role


def roles(request: HttpRequest) -> dict[str, object]:
    """Expose the user's roles to templates, and what the navigation offers them (asked of the
    capability catalogue, ``tandem.access.capabilities``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_roles": [Role(code) for code in sorted(user.role_codes)],
        "can_read_persons": has_capability(user, "person.read"),
        "can_write_persons": has_capability(user, "person.register"),
        "has_caseload": has_capability(user, "caseload.view"),
        "has_agenda": has_capability(user, "agenda.view"),
        "is_group_coach": has_capability(user, "groupwork.coach"),
        "is_outreach_worker": has_capability(user, "outreach.contact"),
        "is_programme_manager": has_capability(user, "programme.oversee"),
        "sees_group_work": has_capability(user, "menu.group_work_catalogue"),
    }
