from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count for the header. The logged-in user is read with it
    (``tandem.accounts.backends``: an annotation), so a page costs no extra query; a user
    loaded another way costs one count. Nothing on anonymous pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = unread_count(user)
    return {"unread_notifications": count}
