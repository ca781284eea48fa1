"""Lists that grow: one way to read a list's filters and page number from a request and cut the
list into pages.

A list page filters the queryset its app's selector already scoped to the user (a filter only
narrows it, never widens it), then shows one page of it; only the rows on that page are read,
so only the persons on that page are logged as shown.

Its filters come from the query string (``?status=open&page=2``), except where a filter holds
a name: a name or national number must not end up in a URL, browser history or server log, so
such a list's form is posted (``method="post"``) and its pager posts the filters again with
the page (``includes/pager.html`` with ``posted=form``). The same view reads either.

A list that grows without bound (the access log: millions of rows a year) is read by its keys
instead (``keyset_page_of``): each page is the rows after (or before) the last row shown, in the
order of an index, so a page deep in the list costs what the first one costs; it shows no page
numbers and no total, because an exact count of millions of rows costs more than the page. Its
pager's "older"/"next" and "newer"/"previous" carry a ``cursor``: the signed key values of the
row at the page's edge. A list that is small by nature (bounded by a person, a group, a
programme) keeps ``page_of`` and its page numbers.

Nothing a user types gives a server error:

* the cursor: one that is not Tandem's (edited, truncated, from another list, too long) opens
  the first page; one past the end of a list that shrank opens the first page;
* the page number: ``abc``, ``-1``, ``0``, a number of a thousand digits or one with a NUL
  character is the first page; a page after the last is the last page (no 404: a list that
  shrank while someone paged keeps working);
* a filter the form refuses (an unknown choice, a NUL character, a date that is no date) is
  shown on its field with the form's error and left out of the filter; the other filters
  still apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Field, Model, Q, QuerySet
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


# --- keyset pages: lists that grow -----------------------------------------------------------

# A cursor longer than this is no cursor (a signed one of a few keys is about 120 characters).
CURSOR_CHARS_MAX = 400
_NEXT, _PREVIOUS = "n", "p"


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a list read by its keys (``keyset_page_of``): its rows, and the cursors
    that open the page after and before it. No page numbers and no total: counting a list that
    grows by millions costs more than the page itself."""

    object_list: list[T]
    next_cursor: str = ""
    previous_cursor: str = ""
    # The list is newest first (its first key descends): the pager says "older" / "newer".
    newest_first: bool = False
    is_keyset: bool = True

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _key_field(items: QuerySet[Any], path: str) -> Field[Any, Any]:
    # A key may name an annotation of the queryset (an expression no index gives, e.g. the
    # person search's last_name || '', registry.selectors): its output field says how to read
    # the cursor's value back; the expression must never be NULL, like a column key.
    annotation = items.query.annotations.get(path)
    if annotation is not None:
        return annotation.output_field  # type: ignore[no-any-return]
    model: type[Model] = items.model
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model  # type: ignore[assignment]
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field) or field.null:
        # A NULL sorts apart from every value: a key must always have one.
        raise ValueError(f"keyset key {path!r} must be a column that is never NULL")
    return field


def _key_value(row: Any, path: str) -> Any:
    value = row
    for name in path.split("__"):
        value = getattr(value, name)
    return value


def _salt(keys: Sequence[str]) -> str:
    # A cursor opens only the list it came from (another list's keys give the first page).
    return "tandem.common.lists.keyset:" + ",".join(keys)


def _cursor_make(direction: str, row: Any, keys: Sequence[str]) -> str:
    values = [_key_value(row, key.lstrip("-")) for key in keys]
    texts = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]
    return signing.dumps({"d": direction, "k": texts}, salt=_salt(keys))


def _cursor_read(
    raw: object, keys: Sequence[str], fields: Sequence[Field[Any, Any]]
) -> tuple[str, list[Any]] | None:
    """The direction and key values a cursor carries, or None where it is none: absent,
    too long, not signed by Tandem for this list, or holding values that are no values."""
    text = raw if isinstance(raw, str) else ""
    if not text or len(text) > CURSOR_CHARS_MAX or not text.isascii() or "\x00" in text:
        return None
    try:
        data = signing.loads(text, salt=_salt(keys))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("d") not in (_NEXT, _PREVIOUS):
        return None
    texts = data.get("k")
    if not isinstance(texts, list) or len(texts) != len(keys):
        return None
    try:
        values = [field.to_python(t) for field, t in zip(fields, texts, strict=True)]
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    if any(value is None for value in values):
        return None
    return data["d"], values


def _beyond(keys: Sequence[str], values: Sequence[Any], forward: bool) -> Q:
    """The rows after the row with these key values, in the keys' order (``forward``) or
    before it: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, and k1 >= v1 beside it so that the
    database can start its index scan at the cursor instead of filtering from the top."""
    names = [key.lstrip("-") for key in keys]

    def op(key: str, strict: bool) -> str:
        ascending = not key.startswith("-")
        up = ascending == forward
        return ("gt" if up else "lt") + ("" if strict else "e")

    either = Q()
    for i, key in enumerate(keys):
        branch = Q(**{f"{names[i]}__{op(key, True)}": values[i]})
        for j in range(i):
            branch &= Q(**{names[j]: values[j]})
        either |= branch
    return Q(**{f"{names[0]}__{op(keys[0], False)}": values[0]}) & either


def keyset_page_of(
    items: QuerySet[Any], data: QueryDict, *, keys: Sequence[str], per_page: int | None = None
) -> KeysetPage[Any]:
    """The page of ``items`` that ``data["cursor"]`` opens, read in the order of ``keys``
    (model fields, or annotations of ``items``, that are never NULL and together unique, e.g.
    ``("-at", "-pk")``; an index
    on them makes every page as fast as the first). Without a valid cursor: the first page.

    One query per page (per_page + 1 rows, to know whether there is a next page); one more
    only when "previous" reaches the start of the list, which is then shown as the first page.
    The cursor carries the key values of the row at the page's edge, signed but readable: a
    list whose keys hold a name pages by posting (``includes/pager.html`` with posted=form).
    """
    size = per_page or settings.TANDEM_PAGE_SIZE
    fields = [_key_field(items, key.lstrip("-")) for key in keys]
    cursor = _cursor_read(data.get("cursor"), keys, fields)
    newest_first = keys[0].startswith("-")
    ordered = items.order_by(*keys)
    if cursor is not None and cursor[0] == _PREVIOUS:
        backwards = [key[1:] if key.startswith("-") else "-" + key for key in keys]
        rows = list(items.order_by(*backwards).filter(_beyond(keys, cursor[1], False))[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            return KeysetPage(
                rows,
                next_cursor=_cursor_make(_NEXT, rows[-1], keys),
                previous_cursor=_cursor_make(_PREVIOUS, rows[0], keys),
                newest_first=newest_first,
            )
        cursor = None  # back at the start: the first page, whole
    if cursor is not None:
        ordered = ordered.filter(_beyond(keys, cursor[1], True))
    rows = list(ordered[: size + 1])
    if cursor is not None and not rows:
        # Past the end of a list that shrank (retention, erasure): the first page.
        cursor, rows = None, list(items.order_by(*keys)[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    return KeysetPage(
        rows,
        next_cursor=_cursor_make(_NEXT, rows[-1], keys) if more else "",
        previous_cursor=_cursor_make(_PREVIOUS, rows[0], keys) if cursor and rows else "",
        newest_first=newest_first,
    )
