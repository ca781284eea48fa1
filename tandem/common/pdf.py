"""HTML to PDF with WeasyPrint, from the same templates as the screen (DESIGN.md: PDF).

A PDF is rendered on the server from a page about a person, so it must never make a network
request: not to the internet (no CDN, no tracking pixel in a pasted text) and not back to our
own server. The URL fetcher serves our static files straight from disk through the static
files finders (or, in production, the collected files with their hashed names) and refuses
every other URL; WeasyPrint then leaves the resource out.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base URL of our own for relative links: never fetched, only matched by the fetcher.
BASE_URL = "https://tandem.invalid/"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serve ``{% static %}`` URLs from the static files finders; refuse everything else."""

    def __init__(self, base_url: str = BASE_URL) -> None:
        super().__init__(allowed_protocols=())
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)
        self._static_prefix = urlsplit(static("")).path

    def static_path(self, url: str) -> str | None:
        """Return the path under the static root that ``url`` asks for, or None."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin:
            return None
        path = unquote(parts.path)
        if not path.startswith(self._static_prefix):
            return None
        relative = path.removeprefix(self._static_prefix)
        if not relative or "\\" in relative or ".." in relative.split("/"):
            return None
        if posixpath.normpath(relative) != relative:
            return None
        return relative

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        relative = self.static_path(url)
        body = _read_static(relative) if relative is not None else None
        if body is None:
            raise ValueError(f"Not fetched for a PDF (only our static files are): {url}")
        content_type = mimetypes.guess_type(relative or "")[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def _read_static(relative: str) -> bytes | None:
    """Read a static file: from the source folders (the finders), or from the collected files,
    where a manifest storage keeps the hashed names that ``{% static %}`` writes in production."""
    found = finders.find(relative)
    if isinstance(found, str):
        return Path(found).read_bytes()
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative) as collected:
            data: bytes = collected.read()
            return data
    return None


def html_to_pdf(html: str, *, base_url: str = BASE_URL) -> bytes:
    """Render an HTML document to PDF bytes, with only our static files as resources."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnlyFetcher(base_url))
    pdf: bytes = document.write_pdf()
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """Render a template (with the request's context processors and language) to a PDF."""
    return html_to_pdf(render_to_string(template_name, context, request=request))
