"""Two workers on one Redis queue: each enqueues every periodic task (each runs its own
scheduler), and each period of each task runs once (the claim rows are counted)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from collections import Counter

import pytest

from tests.ops import servers
from tests.ops.conftest import Output, sqlite_env

pytestmark = pytest.mark.server
SWEEPS = ("dossiers.sweep_deadlines", "feedback.sweep_overdue", "notifications.sweep_stuck")


def test_two_workers_on_redis_run_each_periodic_task_once_per_period(tmp_path, migrated_sqlite):
    redis, port = servers.start_redis()
    env = sqlite_env(tmp_path, migrated_sqlite) | {
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "MOTCUA_NODES": "2",
        "LOG_LEVEL": "DEBUG",
        "MOTCUA_LOG_FORMAT": "text",
    }
    workers, outputs = [], []
    try:
        for _ in range(2):
            proc = subprocess.Popen(  # noqa: S603
                [servers.MOTCUA, "worker"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            workers.append(proc)
            outputs.append(Output(proc))
        for out in outputs:
            out.wait_for("MotCua worker: huey.RedisHuey")
        database = tmp_path / "motcua.sqlite3"

        def periods() -> Counter[str]:
            with sqlite3.connect(database, timeout=10) as db:
                rows = db.execute(
                    "SELECT task, period_start FROM core_periodclaim WHERE task IN (?, ?, ?)",
                    SWEEPS,
                ).fetchall()
            return Counter(task for task, _ in rows)

        deadline = time.monotonic() + 200
        while time.monotonic() < deadline and min(periods()[t] for t in SWEEPS) < 2:
            time.sleep(2)
        time.sleep(5)  # the second worker's copy of the last period has been tried too
    finally:
        for proc in workers:
            servers.stop(proc)
        servers.stop(redis)
    with sqlite3.connect(tmp_path / "motcua.sqlite3") as db:
        rows = db.execute("SELECT task, period_start, node FROM core_periodclaim").fetchall()
    claims = Counter((task, start) for task, start, _ in rows)
    for task in SWEEPS:
        assert sum(1 for (t, _) in claims if t == task) >= 2, rows  # two minutes at least
    assert set(claims.values()) == {1}, claims  # one claim row per task and period
    text = "".join(out.text for out in outputs)
    # both workers ran the scheduler: every period was enqueued twice, once claimed, once skipped
    for task in SWEEPS:
        enqueued = len(re.findall(rf"Enqueueing periodic task [\w.]*{re.escape(task)}:", text))
        skipped = len(re.findall(rf"{re.escape(task)}: this period already claimed", text))
        assert enqueued >= 4, text[-3000:]
        assert skipped >= 2, text[-3000:]
