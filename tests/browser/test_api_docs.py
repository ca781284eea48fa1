"""The API's docs (/api/docs/, Swagger UI from drf-spectacular-sidecar) work under Tandem's
Content Security Policy: every asset from our own server, no CDN, no violation."""

from __future__ import annotations

import pytest

from tests.browser.test_hardening import _strict_context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_csp_from_our_own_server(browser, live_server):
    context, page, problems = _strict_context(browser, live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        response = page.goto("/api/docs/")
        assert response is not None and response.status == 200
        assert "default-src 'self'" in response.headers.get("content-security-policy", "")
        # Swagger UI drew the operations it read from /api/schema/.
        page.locator(".opblock-summary-path", has_text="/api/v1/referrals/inbox/").first.wait_for()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    foreign = [url for url in requested if not url.startswith((live_server.url, "data:"))]
    assert not foreign, f"requests to other servers: {foreign}"
    assert any("/static/drf_spectacular_sidecar/" in url for url in requested)
