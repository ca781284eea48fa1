"""The API's part in retention (``tandem.common.privacy_hooks``): its request log keeps no
person, so it is no retention step per person but a log expiry, once per run. Rows past the
access log's period (``TANDEM_RETENTION['access_log']``, 10 years by default) keep who called
what and when; their IP address is cleared."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.common.privacy_hooks import LogExpiry, register_log_expiry

from .services import api_requests_expire

register_log_expiry(
    LogExpiry(
        key="api_request_ip_addresses",
        label=_("API request log: IP addresses cleared"),
        period="access_log",
        run=lambda years, write: api_requests_expire(years=years, write=write),
    )
)
