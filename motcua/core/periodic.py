"""Periodic work on several machines: once per period across the cluster, safe if run twice.

Every Huey consumer runs its own scheduler, so with two workers on one Redis queue every periodic
task is enqueued twice a period. `once_per_period` lets the first run of a period claim it (a
`PeriodClaim` row under a unique constraint, committed before the work starts) and the others
skip; the work itself stays idempotent, because a claim whose run failed is given back and a
clock that jumps may still let a period run twice. `exclusive` serialises two runs of a job
inside their transactions (a locked `Lock` row), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.models import Heartbeat, Lock, PeriodClaim

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("motcua.periodic")

#: The periods a claim may cover: the start of the period that holds an instant.
PERIODS: dict[str, Callable[[datetime], datetime]] = {
    "minute": lambda at: at.replace(second=0, microsecond=0),
    "hour": lambda at: at.replace(minute=0, second=0, microsecond=0),
    # a local day (Asia/Ho_Chi_Minh): the nightly jobs run once per local night
    "day": lambda at: timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0),
}


def node_name() -> str:
    """This process, as the claims and heartbeats name it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def period_start(period: str, at: datetime) -> datetime:
    return PERIODS[period](at)


def claim_period(task: str, period: str, *, now: datetime | None = None) -> PeriodClaim | None:
    """The claim of ``task`` for the period holding ``now``, or None when another run has it."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return PeriodClaim.objects.create(
                task=task, period_start=period_start(period, now), node=node_name(), claimed_at=now
            )
    except IntegrityError:
        return None


def once_per_period(task: str, period: str) -> Callable[[F], F]:
    """Run the decorated task at most once per ``period`` ("minute", "hour", "day") across every
    worker sharing the database. Put it under Huey's decorator and above `with_db`."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")

    def wrap(fn: F) -> F:
        @wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            claim = claim_period(task, period)
            if claim is None:
                logger.debug("%s: this period already claimed, skipped", task)
                return None
            try:
                result = fn(*args, **kwargs)
            except BaseException:
                # give the period back: a retry (or the other worker's copy) may run it
                PeriodClaim.objects.filter(pk=claim.pk).delete()
                raise
            PeriodClaim.objects.filter(pk=claim.pk).update(finished_at=timezone.now())
            return result

        return inner  # type: ignore[return-value]

    return wrap


def exclusive(name: str) -> None:
    """Inside a transaction: wait until no other transaction holds ``name``, then hold it until
    this one ends. Two runs of one job so run one after the other, never interleaved."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("exclusive() must be called inside transaction.atomic()")
    Lock.objects.get_or_create(name=name)
    Lock.objects.select_for_update().get(name=name)


def beat(*, now: datetime | None = None) -> None:
    """This worker is alive (the worker command calls it every few seconds)."""
    Heartbeat.objects.update_or_create(
        node=node_name(), defaults={"seen_at": now or timezone.now()}
    )


def last_beat() -> datetime | None:
    return Heartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def prune_claims(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Claims are a record for a while, not forever."""
    return PeriodClaim.objects.filter(claimed_at__lt=timezone.now() - older_than).delete()[0]
