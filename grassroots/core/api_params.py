"""Bounded query parameters every API shares: offsets and limits of windowed lists, years.

An integer no column or date can hold (``offset=9223372036854775807``, ``year=10000``) is a 400 that names the
parameter instead of a server error deep in the database or in ``datetime``.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Query

from .pagination import MAX_PAGE, MAX_PAGE_SIZE

MAX_OFFSET = MAX_PAGE * MAX_PAGE_SIZE
MIN_YEAR, MAX_YEAR = 1900, 2999

# Offset/limit windows (the party and territory lists).
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="跳过的条数 / rows to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="条数 / rows to return")]
Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="年份 / year")]
