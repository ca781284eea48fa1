"""The Content Security Policy middleware, with a nonce on every HTML page.

django-csp adds the nonce to ``script-src`` only when a template read ``request.csp_nonce``.
Tandem's pages have no inline script today; drawing the nonce for every HTML page keeps the
policy the same on every page, so a template that one day needs an inline script only has to
write ``<script nonce="{{ request.csp_nonce }}">``. A nonce that nothing uses allows nothing.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class NonceCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and hasattr(request, "csp_nonce"):
            str(request.csp_nonce)  # draws and stores the nonce for this request
        return super().get_policy_parts(request, response, report_only)
