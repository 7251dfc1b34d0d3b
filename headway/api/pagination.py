"""Limit/offset pagination whose parameters stay within what a SQL LIMIT/OFFSET can hold."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from headway.core.bounds import INT64_MAX

PAGE_LIMIT_MAX = 500


class BoundedLimitOffset(LimitOffsetPagination):
    """ninja's limit/offset, with an offset beyond 64 bits answered 422 instead of reaching
    the database driver (which raises OverflowError)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=PAGE_LIMIT_MAX)
        offset: int = Field(0, ge=0, le=INT64_MAX - PAGE_LIMIT_MAX)
