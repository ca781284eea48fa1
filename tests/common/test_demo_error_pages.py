"""The demo (config.settings.local) shows Tandem's own Dutch error pages, with its CSS served;
TANDEM_TECHNICAL_ERRORS=1 brings Django's technical pages back for developers."""

import json

from .test_settings import _run

# Runs in a child process with the local settings (the test process has the test settings):
# a mistyped URL, a stylesheet, and which DEBUG the settings chose.
PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost")
missing = client.get("/bestaat-niet/")
css = client.get(settings.STATIC_URL.rstrip("/") + "/css/tandem.css")
body = missing.content.decode()
print(json.dumps({
    "debug": settings.DEBUG,
    "status": missing.status_code,
    "tandem_page": "Pagina niet gevonden" in body and "X-Request-ID" in missing.headers,
    "technical": "DEBUG = True" in body,
    "css": css.status_code,
    "css_type": css.headers.get("Content-Type", ""),
}))
"""


def _probe(tmp_path, **env):
    result = _run(
        "config.settings.local",
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_shows_tandems_own_404_page_and_still_serves_its_css(tmp_path):
    seen = _probe(tmp_path, TANDEM_TECHNICAL_ERRORS="")
    assert seen["debug"] is False
    assert seen["status"] == 404
    assert seen["tandem_page"] and not seen["technical"]
    assert seen["css"] == 200 and seen["css_type"].startswith("text/css")


def test_developers_get_the_technical_pages_with_tandem_technical_errors(tmp_path):
    seen = _probe(tmp_path, TANDEM_TECHNICAL_ERRORS="1")
    assert seen["debug"] is True
    assert seen["status"] == 404
    assert seen["technical"] and not seen["tandem_page"]
    assert seen["css"] == 200
