"""Prometheus metrics (`/metrics`): what the processes count, and what the database knows.

Under gunicorn the web processes share their counters through prometheus_client's multiprocess
mode (PROMETHEUS_MULTIPROC_DIR, emptied at start by motcua/ops/gunicorn_conf.py, a dead worker's
files marked in its `child_exit`). Request latency per route and login failures are counted by
the processes; the figures of the work (dossiers received and finished, steps overdue, notices
by status, the task queue, the sweeps' lag) are read from the database and the queue when
Prometheus scrapes, with bounded aggregate queries, cached a few seconds.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from motcua.core.models import PeriodClaim
from motcua.dossiers.models import OPEN_STEP_STATUSES, Dossier, DossierStep
from motcua.notifications.models import Message

if _multiproc_dir := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # every process of a node writes its counters there (systemd makes only /run/motcua)
    os.makedirs(_multiproc_dir, exist_ok=True)

REQUEST_LATENCY = Histogram(
    "motcua_http_request_duration_seconds",
    "Time to answer a request, per route",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LOGIN_FAILURES = Counter("motcua_login_failures_total", "Failed logins (page, admin, API)")
#: The sweeps whose lag is shown (each runs every minute).
SWEEPS = ("dossiers.sweep_deadlines", "feedback.sweep_overdue", "notifications.sweep_stuck")
CACHE_SECONDS = 10.0


def count_login_failure(sender: Any, **kwargs: Any) -> None:
    LOGIN_FAILURES.inc()


class WorkCollector(Collector):
    """The figures of the work, read when Prometheus scrapes (cached CACHE_SECONDS)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Metric]] = (-1e9, [])

    def collect(self) -> list[Metric]:  # type: ignore[override]
        with self._lock:
            at, metrics = self._cached
            if time.monotonic() - at < CACHE_SECONDS:
                return metrics
            metrics = self._read()
            self._cached = (time.monotonic(), metrics)
            return metrics

    def _read(self) -> list[Metric]:
        now = timezone.now()
        received = CounterMetricFamily("motcua_dossiers_received", "Dossiers received")
        received.add_metric([], Dossier.objects.filter(received_at__isnull=False).count())
        finished = CounterMetricFamily(
            "motcua_dossiers_finished", "Dossiers finished (result returned)"
        )
        finished.add_metric([], Dossier.objects.filter(returned_at__isnull=False).count())
        overdue = GaugeMetricFamily("motcua_steps_overdue", "Open steps past their due time")
        overdue.add_metric(
            [],
            DossierStep.objects.filter(status__in=OPEN_STEP_STATUSES, due_at__lt=now).count(),
        )
        notices = GaugeMetricFamily("motcua_notices", "Notices in the outbox", labels=["status"])
        by_status = dict(
            Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        for status in Message.Status.values:
            notices.add_metric([status], by_status.get(status, 0))
        queue = GaugeMetricFamily("motcua_task_queue_length", "Tasks waiting in the queue")
        queue.add_metric([], task_queue_length())
        lag = GaugeMetricFamily(
            "motcua_sweep_lag_seconds", "Seconds since a sweep last finished", labels=["task"]
        )
        last = dict(
            PeriodClaim.objects.filter(task__in=SWEEPS, finished_at__isnull=False)
            .values_list("task")
            .annotate(at=Max("finished_at"))
            .values_list("task", "at")
        )
        for task in SWEEPS:
            seen = last.get(task)
            lag.add_metric([task], (now - seen).total_seconds() if seen else float("nan"))
        return [received, finished, overdue, notices, queue, lag]


def task_queue_length() -> int:
    from huey.contrib.djhuey import HUEY

    try:
        return int(HUEY.pending_count())
    except Exception:  # the queue unreachable: /readyz says why; the metric is just missing
        return -1


_work = WorkCollector()


def render() -> bytes:
    """The exposition text: every process's counters (multiprocess) and the work's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    out = generate_latest(registry)
    work = CollectorRegistry()
    work.register(_work)
    return out + generate_latest(work)


def metrics_token() -> str:
    return str(getattr(settings, "MOTCUA_METRICS_TOKEN", ""))
