"""Strings of Django's own admin and login pages that Django 5.2's Dutch catalogue leaves in
English. Listing them here puts them in Tandem's catalogue (``makemessages`` finds them), which
comes first, so the administrator's pages are Dutch throughout. ``tests/common/test_words.py``
finds any new one when Django is upgraded."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS_DUTCH_LACKS = (
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Model name"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("In case you’ve forgotten, you are:"),
)
