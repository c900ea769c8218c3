"""The API's page-number pagination, with bounds every database can hold.

Ninja's own class accepts any integer: ``page=9223372036854775807`` makes an OFFSET no database takes (a server
error). Here a page number or size outside the bounds is a 400 that names the parameter, and a page beyond the
last row is an empty page, as on the pages.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码 / page number, from 1")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数 / rows per page")

