#!/usr/bin/env python3
"""MotCua on several "machines", all on this one, on 127.0.0.1 only (`make cluster`).

    python tools/cluster.py up [--seconds 600]   start everything, print the addresses, keep it
                                                 running (Ctrl+C or the time limit stops it all)

What it starts, each on a free loopback port, under one temporary folder removed at the end:
a PostgreSQL primary (initdb) and its streaming replica (pg_basebackup -R, a second instance),
Redis (append-only file, so a restart keeps the queue), an S3-compatible server (moto), two
MotCua nodes and HAProxy in front of them. The nodes and the load balancer run the files that
docs/deploy.md gives operators: deploy/systemd/motcua@.service (its ExecStart, Environment and
Restart=always are read from the unit and obeyed here as systemd would), deploy/motcua.env (every
key the cluster sets must be one the file lists) and deploy/haproxy.cfg (used as it is). Each
node has a var/ folder of its own: nothing is shared on disk, only through the engines.

bench/soak.py drives the same `Cluster` (its faults: `kill_web`, `kill_worker`,
`restart_replica`, `restart_redis`, `stop_node`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
#: The unit's paths on a machine, and what they are here.
UNIT_PREFIX = "/opt/motcua/.venv/bin/"


def log(text: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {text}", flush=True)  # noqa: T201


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def http_get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 — loopback
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()
    except OSError:
        return 0, ""


def stop_process(proc: subprocess.Popen[Any] | None, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- the shipped configuration ------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


@dataclass
class Unit:
    """What a systemd unit file says to run (the directives this cluster obeys)."""

    exec_start: str
    environment: dict[str, str]
    restart_always: bool
    restart_sec: float


def read_unit(path: Path) -> Unit:
    exec_start = ""
    environment: dict[str, str] = {}
    restart, restart_sec = "no", 0.1
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("ExecStart="):
            exec_start = line.split("=", 1)[1]
        elif line.startswith("Environment="):
            key, value = line.split("=", 1)[1].split("=", 1)
            environment[key] = value
        elif line.startswith("Restart="):
            restart = line.split("=", 1)[1]
        elif line.startswith("RestartSec="):
            restart_sec = float(line.split("=", 1)[1].rstrip("s"))
    if not exec_start:
        raise SystemExit(f"{path}: no ExecStart")
    return Unit(exec_start, environment, restart == "always", restart_sec)


def expand(text: str, instance: str, env: dict[str, str]) -> str:
    """systemd's %i and ${VAR} (from the unit's environment)."""
    text = text.replace("%i", instance)
    return re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], text)


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise SystemExit("PostgreSQL's server binaries are missing (apt-get install postgresql)")


def as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: its tools run as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@dataclass
class Postgres:
    data: Path
    port: int
    log_file: Path
    bindir: Path = field(default_factory=pg_bindir)

    def run(self, *argv: str) -> None:
        subprocess.run(as_postgres(list(argv)), check=True, capture_output=True)  # noqa: S603

    def start(self) -> None:
        self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log_file),
            "-o",
            f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200",
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "motcua") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


# --- a node (`motcua serve` under its unit) -------------------------------------------------


class Node:
    """One machine's `motcua serve`, restarted as systemd's Restart=always would."""

    def __init__(
        self, name: str, port: int, unit: Unit, env: dict[str, str], out: Path, run_dir: Path
    ) -> None:
        self.name, self.port, self.unit, self.out = name, port, unit, out
        # RuntimeDirectory=motcua is /run/motcua under systemd; here a folder of the cluster
        unit_env = {
            k: expand(v, str(port), env).replace("/run/motcua", str(run_dir))
            for k, v in unit.environment.items()
        }
        self.env = {**env, **unit_env}
        argv = expand(unit.exec_start, str(port), self.env).split()
        if argv[0].startswith(UNIT_PREFIX):
            argv[0] = str(BIN / argv[0].removeprefix(UNIT_PREFIX))
        self.argv = argv
        self.proc: subprocess.Popen[bytes] | None = None
        self.enabled = False
        self.starts = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            self.enabled = True
            self.starts += 1
            handle = self.out.open("ab")
            self.proc = subprocess.Popen(  # noqa: S603
                self.argv, env=self.env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT
            )
            handle.close()

    def stop(self) -> None:
        with self._lock:
            self.enabled = False
            proc = self.proc
        stop_process(proc, timeout=30)

    def supervise(self) -> None:
        """Called every few tenths of a second: Restart=always after RestartSec."""
        proc = self.proc
        if self.enabled and self.unit.restart_always and proc and proc.poll() is not None:
            log(f"{self.name}: serve exited ({proc.returncode}); systemd restarts it")
            time.sleep(self.unit.restart_sec)
            if self.enabled:
                self.start()

    def pid_of(self, child: str) -> int | None:
        """The pid of serve's last started ``child`` ("web" or "worker"), from its output."""
        found = re.findall(rf"{child} started \(pid (\d+)\)", self.out.read_text(errors="replace"))
        return int(found[-1]) if found else None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# --- the cluster ----------------------------------------------------------------------------


class Cluster:
    def __init__(self, nodes: int = 2, *, extra_env: dict[str, str] | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="motcua-cluster-"))
        self.root.chmod(0o755)
        self.count = nodes
        self.extra_env = extra_env or {}
        self.procs: dict[str, subprocess.Popen[Any]] = {}
        self.nodes: list[Node] = []
        self.primary: Postgres | None = None
        self.replica: Postgres | None = None
        self.ports = {
            k: free_port() for k in ("primary", "replica", "redis", "s3", "lb", "web1", "web2")
        }
        self.env: dict[str, str] = {}
        self._stop_supervising = threading.Event()
        self._supervisor: threading.Thread | None = None

    # .. the engines
    def _postgres(self) -> None:
        pg_root = self.root / "pg"
        pg_root.mkdir()
        if os.geteuid() == 0:
            shutil.chown(pg_root, "postgres", "postgres")
        bindir = pg_bindir()
        self.primary = Postgres(pg_root / "primary", self.ports["primary"], pg_root / "primary.log")
        self.primary.run(
            str(bindir / "initdb"), "-D", str(self.primary.data), "-U", "postgres", "-A", "trust"
        )
        self.primary.start()
        self.primary.run(
            str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.primary.port), "motcua"
        )
        self.replica = Postgres(pg_root / "replica", self.ports["replica"], pg_root / "replica.log")
        log(f"PostgreSQL primary on {self.primary.port}")

    def _replica(self) -> None:
        assert self.primary is not None and self.replica is not None  # noqa: S101
        self.replica.run(
            str(self.replica.bindir / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.replica.data),
            "-R",  # standby.signal and primary_conninfo: a streaming replica
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self.replica.start()
        log(f"PostgreSQL streaming replica on {self.replica.port} (pg_basebackup)")

    def start_redis(self) -> None:
        redis_dir = self.root / "redis"
        redis_dir.mkdir(exist_ok=True)
        self.procs["redis"] = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports["redis"]),
                "--dir",
                str(redis_dir),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_port(self.ports["redis"], 20):
            raise SystemExit("redis-server did not start")

    def _s3(self) -> None:
        self.procs["s3"] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_port(self.ports["s3"], 60):
            raise SystemExit("moto's S3 server did not start")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.ports['s3']}",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",  # noqa: S106 — moto's, loopback only
        ).create_bucket(Bucket="motcua-documents")
        log(f"S3 (moto) on {self.ports['s3']}, bucket motcua-documents")

    # .. MotCua
    def _environment(self) -> dict[str, str]:
        shipped = read_env_file(DEPLOY / "motcua.env")
        assert self.primary is not None and self.replica is not None  # noqa: S101
        lb = f"http://127.0.0.1:{self.ports['lb']}"
        ours = {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "MOTCUA_LOOKUP_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": lb,
            "MOTCUA_SITE_URL": lb,
            "MOTCUA_HTTPS": "0",
            "DATABASE_URL": self.primary.url(),
            "DATABASE_REPLICA_URL": self.replica.url(),
            "MOTCUA_REPLICA_MAX_LAG": "30",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "MOTCUA_NODES": str(self.count),
            "MOTCUA_S3_BUCKET": "motcua-documents",
            "MOTCUA_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "MOTCUA_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster-secret",
            "EMAIL_BACKEND": "console",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "25",
            "MOTCUA_SMS_URL": "",
            "MOTCUA_SMS_TOKEN": "",
            "MOTCUA_HOST": "127.0.0.1",
            "MOTCUA_WEB_WORKERS": "2",
            "MOTCUA_WORKER_THREADS": "2",
            "MOTCUA_METRICS_TOKEN": secrets.token_urlsafe(24),
            "MOTCUA_LOG_FORMAT": "json",
        } | self.extra_env
        unknown = sorted(set(ours) - set(shipped))
        if unknown:
            raise SystemExit(f"deploy/motcua.env does not list {unknown}: document them there")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE"))}
        for key in ("REDIS_URL", "SECRET_KEY", "EMAIL_BACKEND", "PROMETHEUS_MULTIPROC_DIR"):
            base.pop(key, None)
        return {**base, **shipped, **ours, "PYTHONUNBUFFERED": "1"}

    def _motcua(self, *args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run(  # noqa: S603
            [str(BIN / "motcua"), *args],
            env=env or self.env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )

    def _nodes(self) -> None:
        unit = read_unit(DEPLOY / "systemd" / "motcua@.service")
        for i in range(1, self.count + 1):
            var = self.root / f"node{i}"
            var.mkdir()
            env = {**self.env, "MOTCUA_VAR_DIR": str(var)}
            node = Node(
                f"node{i}",
                self.ports[f"web{i}"],
                unit,
                env,
                self.root / f"node{i}.log",
                self.root / "run",
            )
            self.nodes.append(node)
            node.start()
        for node in self.nodes:
            if not wait_port(node.port, 120):
                tail = node.out.read_text(errors="replace")[-3000:]
                raise SystemExit(f"{node.name} did not listen:\n{tail}")
        log("nodes: " + ", ".join(f"{n.name} {n.base}" for n in self.nodes))

    def _haproxy(self) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            raise SystemExit("haproxy is missing (make cluster-deps installs Debian's package)")
        env = {
            **os.environ,
            "MOTCUA_LB_BIND": f"127.0.0.1:{self.ports['lb']}",
            "MOTCUA_WEB1": f"127.0.0.1:{self.ports['web1']}",
            "MOTCUA_WEB2": f"127.0.0.1:{self.ports['web2']}",
        }
        subprocess.run(  # noqa: S603
            [haproxy, "-c", "-q", "-f", str(DEPLOY / "haproxy.cfg")], env=env, check=True
        )  # noqa: S603
        self.procs["haproxy"] = subprocess.Popen(  # noqa: S603
            [haproxy, "-db", "-f", str(DEPLOY / "haproxy.cfg")],
            env=env,
            stdout=(self.root / "haproxy.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        if not wait_port(self.ports["lb"], 20):
            raise SystemExit("haproxy did not start")
        log(f"HAProxy on {self.lb}")

    @property
    def lb(self) -> str:
        return f"http://127.0.0.1:{self.ports['lb']}"

    def up(self, *, demo: bool = True) -> None:
        started = time.monotonic()
        self._postgres()
        self.start_redis()
        self._s3()
        self.env = self._environment()
        self._motcua(
            "migrate", "--no-input", "-v", "0", env={**self.env, "MOTCUA_VAR_DIR": str(self.root)}
        )
        if demo:
            self._motcua("demo", env={**self.env, "MOTCUA_VAR_DIR": str(self.root)})
        self._replica()  # after the schema: the copy starts from a migrated database
        self._nodes()
        self._haproxy()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()
        self.wait_ready()
        log(f"up in {time.monotonic() - started:.0f} s under {self.root}")

    def _supervise(self) -> None:
        while not self._stop_supervising.wait(0.3):
            for node in self.nodes:
                node.supervise()

    def wait_ready(self, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            states = []
            for node in self.nodes:
                if not node.enabled:
                    continue
                status, text = http_get(f"{node.base}/readyz", timeout=5)
                states.append(status)
                if text.startswith("{"):
                    body = json.loads(text)
            if (
                states
                and all(s == 200 for s in states)
                and body.get("worker", {}).get("state") == "ok"
            ):
                return body
            time.sleep(0.5)
        raise SystemExit(f"the cluster is not ready: {body}")

    # .. faults
    def kill_web(self, index: int = 0) -> int:
        pid = self.nodes[index].pid_of("web")
        assert pid, "no web process"  # noqa: S101
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_worker(self, index: int = 0) -> int:
        pid = self.nodes[index].pid_of("worker")
        assert pid, "no worker process"  # noqa: S101
        os.kill(pid, signal.SIGKILL)
        return pid

    def restart_replica(self) -> None:
        assert self.replica is not None  # noqa: S101
        self.replica.stop("fast")
        self.replica.start()

    def restart_redis(self) -> None:
        stop_process(self.procs.pop("redis", None))
        self.start_redis()

    def stop_node(self, index: int) -> None:
        self.nodes[index].stop()

    def start_node(self, index: int) -> None:
        self.nodes[index].start()

    # .. the end
    def down(self) -> None:
        self._stop_supervising.set()
        for node in self.nodes:
            node.stop()
        for name in ("haproxy", "s3", "redis"):
            stop_process(self.procs.pop(name, None))
        for pg in (self.replica, self.primary):
            if pg is not None and (pg.data / "postmaster.pid").exists():
                try:
                    pg.stop("fast")
                except subprocess.CalledProcessError:
                    pg.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
        log("stopped everything")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long")
    parser.add_argument("--nodes", type=int, default=2, choices=[1, 2])
    args = parser.parse_args()
    cluster = Cluster(args.nodes)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    try:
        cluster.up()
        status, body = http_get(f"{cluster.lb}/readyz")
        log(f"{cluster.lb}/readyz through HAProxy: {status} {body}")
        log(f"running for at most {args.seconds:.0f} s (Ctrl+C stops it)")
        stopping.wait(args.seconds)
    finally:
        cluster.down()


if __name__ == "__main__":
    main()
