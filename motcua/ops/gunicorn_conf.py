"""gunicorn's configuration for MotCua (`gunicorn -c python:motcua.ops.gunicorn_conf
motcua.wsgi`): `motcua serve`, tools/cluster and the systemd unit of docs/deploy.md use it.

Prometheus's multiprocess mode: the folder PROMETHEUS_MULTIPROC_DIR is emptied when the
master starts (old processes' files would count twice) and a dead worker's gauges are marked.
Command-line options (--bind, --workers) still apply on top of these defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", "2"))
threads = int(os.environ.get("MOTCUA_WEB_THREADS", "4"))
graceful_timeout = 5
timeout = 60
accesslog = "-"
# every atom of the access log without secret parameters (?secret= of the old GET look-ups)
logger_class = "motcua.access.logs.GunicornLogger"
# several gunicorns on one machine (tools/cluster) would share ~/.gunicorn/gunicorn.ctl
control_socket_disable = True
# one JSON object a line, like the application's logs (motcua.core.logs)
access_log_format = (
    '{"logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # the files, not the folder: a process starting beside gunicorn (serve's worker) may
        # be opening its own file in it at this moment
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.db"):
            old.unlink(missing_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
