"""A small progress bar for long loads, written to a terminal stream."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T], *, total: int, label: str, stream: TextIO | None = None, width: int = 30
) -> Iterator[T]:
    """Yield `items`, drawing `label [#####-----] 50/100` at most ten times a second."""
    out = stream or sys.stderr
    started = last = time.monotonic()
    done = 0

    def draw() -> None:
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        out.write(f"\r{label} [{bar}] {done}/{total} ({time.monotonic() - started:.1f} s)")
        out.flush()

    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= 0.1 or done == total:
            last = now
            draw()
    if done != total or total == 0:
        draw()
    out.write("\n")
    out.flush()
