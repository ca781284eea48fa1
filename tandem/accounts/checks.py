"""`check --deploy`: a deployment never skips the second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """TANDEM_REQUIRE_2FA=False is for `make demo` (config/settings/local.py) only."""
    if getattr(settings, "TANDEM_REQUIRE_2FA", True):
        return []
    return [
        Error(
            "TANDEM_REQUIRE_2FA is off: case workers and administrators log in with a "
            "password alone.",
            hint="Only config/settings/local.py (make demo) may switch the second factor off.",
            id="tandem.E001",
        )
    ]
