"""The counter floor's live streams under load. Prints figures, asserts nothing.

Run from the repository root: ``python bench/floor.py [--displays 200] [--calls 40]
[--seconds 5] [--rounds 6]``. On a fresh SQLite database in a temporary folder (migrated, one
unit with a floor, 400 waiting tickets of today), it starts ``motcua serve`` as `make run` does
(gunicorn for the pages and the API, uvicorn for the streams, fan-out through Redis when one
answers on 127.0.0.1:6379, else each stream polls the floor), then measures in one run:

1. call-to-display latency: with ``--displays`` Server-Sent-Event streams open on the one
   machine, ``--calls`` calls of "next" through the real service (`call_next`); for each call,
   the time from its commit to each display reading the new state; p50 and p99 over every
   (call, display);
2. the web's request throughput (GET of the unit's state through the API, 8 client threads,
   ``--seconds`` each) without displays and with them connected, in ``--rounds`` rounds of one
   measure each, the order alternating (without/with, then with/without: a drift of the
   machine's load cancels); each round's own ratio, and their median is the target's (≥ 0.9:
   open displays do not starve the counters).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_up() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return True
    except Exception:
        return False


def wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"motcua serve stopped (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


# ------------------------------------------------------------------------------ the floor
def make_floor(waiting: int) -> tuple[str, int, object]:
    """A unit with one group, one counter, a receptionist and ``waiting`` tickets of today."""
    from django.utils import timezone

    from motcua.queueing.models import Counter, FloorEvent, ServiceGroup, Ticket
    from tests.factories import make_staff, make_unit

    unit = make_unit(code="BENCH.01", name="Phường Đo Tải")
    group = ServiceGroup.objects.create(unit=unit, code="ho-tich", name="Hộ tịch", letter="A")
    counter = Counter.objects.create(unit=unit, number=1)
    counter.groups.add(group)
    officer = make_staff(username="benchquay", roles=[(unit, "receptionist")])
    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            unit=unit,
            group=group,
            issued_group=group,
            day=timezone.localdate(now),
            sequence=i,
            number=f"A{i:03d}",
            token=secrets.token_urlsafe(18),
            issued_at=now,
        )
        for i in range(1, waiting + 1)
    )
    FloorEvent.objects.create(unit=unit, ticket=tickets[-1], at=now, kind="issued")
    return unit.code, counter.pk, officer


# ---------------------------------------------------------------------------- the displays
class Displays:
    """``n`` open streams read in one asyncio loop on a thread; each state's arrival time is kept
    by its calling number."""

    def __init__(self, port: int, unit: str, n: int) -> None:
        self.port, self.unit, self.n = port, unit, n
        self.seen: dict[str, list[float]] = {}
        self.connected = 0
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.tasks: list[asyncio.Future[None]] = []

    async def one(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        path = f"/api/v1/queue/units/{self.unit}/events"
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        first = True
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                if line.startswith(b"data:"):
                    now = time.perf_counter()
                    state = json.loads(line[5:])
                    if first:
                        first = False
                        with self.lock:
                            self.connected += 1
                    for call in state["calling"][:1]:
                        with self.lock:
                            self.seen.setdefault(call["number"], []).append(now)
        finally:
            writer.close()

    def start(self) -> None:
        self.thread.start()
        for _ in range(self.n):
            self.tasks.append(asyncio.run_coroutine_threadsafe(self.one(), self.loop))  # type: ignore[arg-type]
        deadline = time.monotonic() + 60
        while self.connected < self.n and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.connected < self.n:
            raise SystemExit(f"only {self.connected} of {self.n} displays connected")

    def stop(self) -> None:
        async def close() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


# ------------------------------------------------------------------------------ throughput
def throughput(port: int, unit: str, seconds: float, clients: int = 8) -> float:
    done = [0] * clients
    stop_at = time.monotonic() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            conn.request("GET", f"/api/v1/queue/units/{unit}/state")
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"state answered {answer.status}")
            if answer.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            done[i] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--displays", type=int, default=200)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-floor-"))
    redis = redis_up()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'floor.sqlite3'}",
        "MOTCUA_VAR_DIR": str(folder),
        "MOTCUA_QUEUE_REDIS_URL": REDIS_URL if redis else "",
        "MOTCUA_QUEUE_CHANNEL_PREFIX": f"motcua-bench:{os.getpid()}",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "MOTCUA_LOOKUP_KEY": os.environ.get("MOTCUA_LOOKUP_KEY") or secrets.token_urlsafe(40),
    }
    for name in ("MOTCUA_STREAM_ORIGIN", "MOTCUA_STREAM_PORT"):
        env.pop(name, None)
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DATABASE", "MOTCUA", "SECRET"))}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603

    import django

    django.setup()
    from motcua.queueing import services

    unit, counter_id, officer = make_floor(args.calls + 10)
    web, streams = free_port(), free_port()
    serve = subprocess.Popen(  # noqa: S603 - our command, 127.0.0.1
        [motcua, "serve", "--port", str(web), "--stream-port", str(streams)]
        + ["--workers", str(args.workers), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(web, serve)
        wait_for(streams, serve)
        print(f"floor bench: {os.cpu_count()} CPUs, gunicorn {args.workers} workers + uvicorn")
        print(f"fan-out: {'Redis pub/sub' if redis else 'each stream polls the floor'}")
        throughput(web, unit, 1.0)  # warm-up

        without: list[float] = []
        with_: list[float] = []
        latencies: list[float] = []
        missed = 0
        calls_per_round = max(1, args.calls // args.rounds)
        for round_ in range(args.rounds):
            # ABBA: odd rounds measure with the displays first, so that a drift of the
            # machine's load between the two halves of a round cancels over the rounds
            if round_ % 2 == 0:
                without.append(throughput(web, unit, args.seconds))
            displays = Displays(streams, unit, args.displays)
            displays.start()
            try:
                with_.append(throughput(web, unit, args.seconds))
                for _ in range(calls_per_round):
                    ticket = services.call_next(counter_id=counter_id, actor=officer)  # type: ignore[arg-type]
                    committed = time.perf_counter()
                    if ticket is None:
                        raise SystemExit("nobody was waiting")
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:
                        with displays.lock:
                            got = list(displays.seen.get(ticket.number, []))
                        if len(got) >= args.displays:
                            break
                        time.sleep(0.005)
                    missed += args.displays - len(got)
                    latencies += [t - committed for t in got]
                    time.sleep(0.1)
            finally:
                displays.stop()
            if round_ % 2 == 1:
                without.append(throughput(web, unit, args.seconds))
            print(
                f"round {round_ + 1}: {without[-1]:.0f} req/s without displays, "
                f"{with_[-1]:.0f} req/s with {args.displays} open"
            )
        ms = [x * 1000 for x in latencies]
        print(
            f"call-to-display latency over {len(ms)} (call, display) pairs with "
            f"{args.displays} displays: p50 {percentile(ms, 50):.1f} ms, "
            f"p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms; missed {missed}"
        )
        a, b = statistics.median(without), statistics.median(with_)
        ratios = sorted(w / o for w, o in zip(with_, without, strict=True))
        print(
            f"web throughput (GET state, median of {args.rounds}): {a:.0f} req/s without "
            f"displays, {b:.0f} req/s with {args.displays} open"
        )
        print(
            f"ratio with / without, median of the {args.rounds} rounds' own ratios: "
            f"{statistics.median(ratios):.2f} (target >= 0.90; rounds from {ratios[0]:.2f} "
            f"to {ratios[-1]:.2f})"
        )
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()


if __name__ == "__main__":
    main()
