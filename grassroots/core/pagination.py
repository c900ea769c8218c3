"""The API's page-number pagination, with bounds every database can hold.

Ninja's own class accepts any integer: ``page=9223372036854775807`` makes an OFFSET no database takes (a server
error). Here a page number or size outside the bounds is a 400 that names the parameter, and a page beyond the
last row is an empty page, as on the pages.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码 / page number, from 1")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数 / rows per page")


MAX_OFFSET = MAX_PAGE * MAX_PAGE_SIZE
# Offset/limit windows (the party and territory lists): the same bounds, a 400 naming the parameter outside them.
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="跳过的条数 / rows to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="条数 / rows to return")]
