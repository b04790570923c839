"""Shared API schemas."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    items: list[T]


#: Far beyond any list, and within a 64-bit integer for every database.
MAX_OFFSET = 1_000_000_000


class Paging(Schema):
    """`limit` (default 50, max 500) and `offset` of every list (API.md, Conventions)."""

    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
