"""Lists that grow: one way to read a list's filters and page number from a request and cut the
list into pages.

A list page filters the queryset its app's selector already scoped to the user (a filter only
narrows it, never widens it), then shows one page of it; only the rows on that page are read,
so only the persons on that page are logged as shown.

Its filters come from the query string (``?status=open&page=2``), except where a filter holds
a name: a name or national number must not end up in a URL, browser history or server log, so
such a list's form is posted (``method="post"``) and its pager posts the filters again with
the page (``includes/pager.html`` with ``posted=form``). The same view reads either.

Nothing a user types gives a server error:

* the page number: ``abc``, ``-1``, ``0``, a number of a thousand digits or one with a NUL
  character is the first page; a page after the last is the last page (no 404: a list that
  shrank while someone paged keeps working);
* a filter the form refuses (an unknown choice, a NUL character, a date that is no date) is
  shown on its field with the form's error and left out of the filter; the other filters
  still apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

T = TypeVar("T")

# Longer page numbers are no page number: Python would parse them slowly or refuse them.
PAGE_DIGITS_MAX = 9


def page_number(raw: object) -> int:
    """The page asked for in ``raw`` (text from a request), or 1 where it is none."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > PAGE_DIGITS_MAX:
        return 1
    return max(int(text), 1)


def list_data(request: HttpRequest, *, posted_only: tuple[str, ...] = ()) -> QueryDict:
    """The list's filters: posted where the list's form holds a name, else the query string.
    The fields in ``posted_only`` (the ones that hold a name) are never read from a query
    string: a link that carries one searches nothing, so no one learns to put names in URLs."""
    if request.method == "POST":
        return request.POST
    if not any(name in request.GET for name in posted_only):
        return request.GET
    data = request.GET.copy()
    for name in posted_only:
        data.pop(name, None)
    return data


def filters_of(form: forms.Form) -> dict[str, Any]:
    """The values of the fields the form accepts; a refused field is left out (its error stays
    on the form, shown beside the field)."""
    form.is_valid()
    return dict(getattr(form, "cleaned_data", {}))


def page_of(items: Sequence[T] | Any, data: QueryDict, *, per_page: int | None = None) -> Page:
    """The page of ``items`` (a queryset or a list) that ``data["page"]`` asks for: the first
    page where the number is not one, the last page where it is past the end."""
    paginator = Paginator(items, per_page or settings.TANDEM_PAGE_SIZE)
    number = min(page_number(data.get("page")), paginator.num_pages)
    return paginator.page(number)
