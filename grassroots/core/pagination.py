"""The API's pagination: page numbers with bounds every database can hold, and a cursor for the deep pages.

Ninja's own class accepts any integer: ``page=9223372036854775807`` makes an OFFSET no database takes (a server
error). Here a page number or size outside the bounds is a 400 that names the parameter, and a page beyond the
last row is an empty page, as on the pages.

Page numbers cost what OFFSET costs: the rows before the page are read and thrown away, so page 10,000 of a large
list is slow for anyone who asks. Every list whose order is keyable (its order is one value and the id, both the same
way, on columns that are never null: ``("-reported_at", "-id")``) also pages by key (``core.keyset``): each answer
carries ``first``, ``next``, ``previous`` and ``last`` cursors, and ``?cursor=`` reads the page they point to from the
index without counting, so the last page costs what the first does. A cursor page answers ``count`` as null (a count
is the whole list's cost; the ``first`` cursor opens the first page without one). Clients that walk a whole list
(synchronisation, exports) follow ``next``; people who page by hand keep the numbers. Open311
keeps its own page/page_size convention.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

from . import keyset
from .errors import ValidationFailed

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500
FIRST = keyset.encode(keyset.AFTER, None)


def keyset_order(qs: QuerySet) -> tuple[str, str] | None:
    """The queryset's order as a keyset order (value, id), or None when it cannot page by key."""
    if not isinstance(qs, QuerySet) or qs.query.values_select or qs.query.annotation_select_mask:
        return None
    order = list(qs.query.order_by) or (list(qs.model._meta.ordering) if qs.query.default_ordering else [])
    if not order or len(order) > 2 or not all(isinstance(o, str) for o in order):
        return None
    names = ["id" if o.lstrip("-") == "pk" else o.lstrip("-") for o in order]
    descending = {o.startswith("-") for o in order}
    if len(descending) != 1 or names[-1] != "id":
        return None
    if "__" in names[0] or "?" in names[0]:
        return None
    try:
        field = qs.model._meta.get_field(names[0])
    except Exception:  # noqa: BLE001 - an annotation or a relation name: not keyable
        return None
    if getattr(field, "null", True) or not getattr(field, "concrete", False) or field.is_relation:
        return None
    sign = "-" if descending == {True} else ""
    return (f"{sign}{names[0]}", f"{sign}id")


def _source(items) -> tuple[QuerySet | None, Any]:
    """The queryset behind a list an endpoint returns, and the function that turns its rows into items: a
    queryset itself, or a row list (``qs`` and ``rows(objects)``) that builds API rows without a query per row."""
    if isinstance(items, QuerySet):
        return items, list
    qs, rows = getattr(items, "qs", None), getattr(items, "rows", None)
    if isinstance(qs, QuerySet) and callable(rows):
        return qs, rows
    return None, None


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码 / page number, from 1")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数 / rows per page")
        cursor: str | None = Field(None, max_length=keyset.MAX_CURSOR_LENGTH,
                                   description="分页游标（上一页答复中的 next / previous / last）/ page cursor from a "
                                               "previous answer's next, previous or last")

    class Output(Schema):
        items: list[Any]
        count: int | None = Field(None, description="总条数（游标分页时为空）/ total rows (null on a cursor page)")
        first: str | None = None
        next: str | None = None
        previous: str | None = None
        last: str | None = None

    def paginate_queryset(self, queryset, pagination: Input, request=None, **params: Any) -> Any:
        size = self._get_page_size(pagination.page_size)
        qs, rows = _source(queryset)
        order = keyset_order(qs) if qs is not None else None
        if pagination.cursor:
            if order is None:
                raise ValidationFailed("此列表不支持游标分页，请使用页码", "This list pages by number, not by cursor",
                                       field="cursor")
            page = keyset.paginate(qs, order=order, cursor=pagination.cursor, size=size)
            return {"items": rows(page.items), "count": None, "first": FIRST, "next": page.next,
                    "previous": page.previous, "last": page.last}
        offset = (pagination.page - 1) * size
        if order is None:
            return {"items": queryset[offset:offset + size], "count": self._items_count(queryset)}
        objects = list(qs[offset:offset + size + 1])
        more, objects = len(objects) > size, objects[:size]
        answer = {"items": rows(objects), "count": self._items_count(qs), "first": FIRST,
                  "last": keyset.encode(keyset.LAST, None)}
        if objects and more:
            answer["next"] = keyset.encode(keyset.AFTER, keyset.key_of(objects[-1], order))
        if objects and offset:
            answer["previous"] = keyset.encode(keyset.BEFORE, keyset.key_of(objects[0], order))
        return answer


class RowList:
    """What a list endpoint returns when its API rows are built from the objects without a query per row: the
    paginator slices (or keys) ``qs`` and ``row`` turns each object of the page into its row."""

    def __init__(self, qs: QuerySet, row):
        self.qs, self.row = qs, row

    def rows(self, objects) -> list:
        return [self.row(o) for o in objects]

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return self.rows(self.qs[item])
