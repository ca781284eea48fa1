"""The base of the API's filter sets (django-filter): strict, as an API should be.

django-filter, made for HTML forms, treats ``?status=`` as no filter. Here a filter that is
named must have a value: ``?status=`` is a 400 naming ``status`` (a typo'd or emptied filter
would otherwise return everything without a word).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _


class ApiFilterSet(django_filters.FilterSet):
    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not str(self.data.get(name, "")).strip():
                self.form.add_error(name, _("Give a value, or leave the filter out."))
                valid = False
        return valid
