"""Cursor pagination: stable under inserts, no page numbers to guess, no count query."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    # The newest first by the row's id: unique and unchanging, as a cursor needs.
    ordering = "-pk"
