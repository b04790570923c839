"""Shared API schemas."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    items: list[T]
