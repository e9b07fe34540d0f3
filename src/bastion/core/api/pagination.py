"""Cursor pagination: stable pages over tables of millions of rows."""

from rest_framework.pagination import CursorPagination


class BastionCursorPagination(CursorPagination):
    """Pages of 50 (up to 500 with ``page_size``), newest first unless ordered otherwise."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
