"""Path converters that carry no personal data.

``<isodate:day>`` is a calendar day (``2026-12-07``): a day of the agenda is not a person's
data, so it may stand in a URL (``tests/common/test_url_privacy.py`` counts it as safe). A
string that is not a real day does not match the route (404).
"""

from __future__ import annotations

import datetime as dt


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:  # 2026-02-30: no such day → the route does not match
            raise ValueError(value) from exc

    def to_url(self, value: dt.date | str) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        return dt.date.fromisoformat(value).isoformat()
