"""The soak test with faults: MotCua on tools/cluster (PostgreSQL primary + streaming replica,
Redis, S3, two nodes behind HAProxy), a mixed workload through the load balancer while parts die.

    python bench/soak.py [--faults-seconds 240] [--calm-seconds 90] [--clients 6]

Loopback only; bounded (10 minutes by default, the cluster's start included); everything is
stopped at the end. Three runs of the same workload, each printing requests by status and
throughput: (a) two nodes with faults — SIGKILL of one web process (gunicorn's master; its
`motcua serve` exits and is restarted as systemd would) and of one worker (serve restarts it), a
restart of the replica and of Redis, each once; (b) two nodes, no faults; (c) one node, no faults.
Then the checks, each printed "ok" or "FAILED": no 5xx outside the seconds after a fault, none a
client retry did not recover; every dossier answered 201 exists exactly once; codes consecutive
per unit and day; every notice delivered exactly once (the fake SMS gateway honours the
idempotency key; repeats it absorbed are counted); each periodic task ran once per period (claim
rows); the replica's report equals the primary's after catch-up; every uploaded file readable
through both web processes. Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import importlib.util
import io
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("cluster", ROOT / "tools" / "cluster.py")
assert _spec and _spec.loader  # noqa: S101
cluster_mod = importlib.util.module_from_spec(_spec)
sys.modules["cluster"] = cluster_mod
_spec.loader.exec_module(cluster_mod)

PROCEDURE = "1.001193"  # registration of a birth, offered by every ward of the demo city
WARD = "H26.74"
PASSWORD = "motcua-demo"  # noqa: S105 — the demo city's accounts, loopback only
FAULT_WINDOW = 15.0  # seconds after a fault during which a 5xx or no answer is the fault's


# --- a fake SMS gateway that honours the idempotency key ------------------------------------
class Gateway:
    def __init__(self) -> None:
        self.delivered: Counter[str] = Counter()  # key → deliveries (must be 1)
        self.repeats = 0  # calls with a key already delivered (absorbed)
        self.lock = threading.Lock()
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key", "")
                with gateway.lock:
                    if gateway.delivered[key]:
                        gateway.repeats += 1
                    else:
                        gateway.delivered[key] += 1
                body = json.dumps({"id": f"sms-{key}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- the client -------------------------------------------------------------------------------
class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.first: Counter[int] = Counter()  # status of each first attempt
        self.final: Counter[int] = Counter()  # status after the retries
        self.bad: list[tuple[float, int, str]] = []  # (time, status, what) of 5xx / no answer
        self.unrecovered: list[tuple[int, str]] = []
        self.done = 0

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str = "",
        key: str = "",
        raw: bytes | None = None,
        content_type: str = "",
        base: str = "",
        count: bool = True,
    ) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif content_type:
            headers["Content-Type"] = content_type
        status, payload = 0, None
        for attempt in range(6):  # a client's retries (the same Idempotency-Key)
            request = urllib.request.Request(  # noqa: S310 — loopback
                (base or self.base) + path, data=data, headers=headers, method=method
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    status, text = answer.status, answer.read()
            except urllib.error.HTTPError as answer:
                status, text = answer.code, answer.read()
            except OSError:
                status, text = 0, b""
            if count:
                with self.lock:
                    if attempt == 0:
                        self.first[status] += 1
                    if status == 0 or status >= 500:
                        self.bad.append((time.monotonic(), status, f"{method} {path}"))
            if status and status < 500:
                break
            time.sleep(0.5 * (attempt + 1))
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        if count:
            with self.lock:
                self.final[status] += 1
                self.done += 1
                if status == 0 or status >= 500:
                    self.unrecovered.append((status, f"{method} {path}"))
        return status, payload


def pdf(n: int) -> bytes:
    """A small valid PDF of one page, different each time."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": f"soak {n} {uuid.uuid4().hex}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        )
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    out.write(data + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Workload:
    """Receptions, steps, apologies, look-ups, uploads, complaints and reports, mixed."""

    def __init__(self, client: Client, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens
        self.dossiers: list[tuple[str, str]] = []  # (code, secret) answered 201
        self.uploads: list[tuple[str, int, str]] = []  # (code, document id, sha256)
        self.lock = threading.Lock()
        self.n = 0
        status, procedure = client.call("GET", f"/api/v1/procedures/{PROCEDURE}", count=False)
        if status != 200:
            raise SystemExit(f"procedure {PROCEDURE}: {status}")
        self.papers = [
            {"name": p["name"], "copies": 1}
            for p in procedure["required_documents"]
            if p["mandatory"]
        ]

    def pick(self) -> tuple[str, str] | None:
        with self.lock:
            return random.choice(self.dossiers) if self.dossiers else None

    def reception(self) -> None:
        with self.lock:
            self.n += 1
            n = self.n
        status, body = self.client.call(
            "POST",
            "/api/v1/dossiers",
            token=self.tokens["tiepnhan"],
            key=uuid.uuid4().hex,
            body={
                "procedure": PROCEDURE,
                "unit": WARD,
                "channel": "counter",
                "applicant": {
                    "name": f"Nguyễn Văn Thử {n}",
                    "id_number": f"0010{n:08d}",
                    "phone": f"09{n % 100000000:08d}",
                    "email": "",
                    "address": "Long Biên, Hà Nội",
                },
                "documents": self.papers,
                "note": "soak",
            },
        )
        if status == 201:
            with self.lock:
                self.dossiers.append((body["code"], body["lookup_secret"]))

    def step(self) -> None:
        if got := self.pick():
            self.client.call(
                "POST",
                f"/api/v1/dossiers/{got[0]}/complete-step",
                token=self.tokens["chuyenvien"],
                body={"note": "soak"},
            )

    def apology(self) -> None:
        if got := self.pick():
            self.client.call(
                "POST",
                f"/api/v1/dossiers/{got[0]}/apologies",
                token=self.tokens["chuyenvien"],
                key=uuid.uuid4().hex,
                body={"reason": "soak", "explanation": "Kiểm tra tải"},
            )

    def lookup(self) -> None:
        if got := self.pick():
            self.client.call(
                "POST", f"/api/v1/public/dossiers/{got[0]}/lookup", body={"secret": got[1]}
            )

    def upload(self) -> None:
        if got := self.pick():
            data = pdf(random.randint(0, 10**6))
            raw, ctype = multipart({"kind": "scan"}, "ban-chup.pdf", data)
            status, body = self.client.call(
                "POST",
                f"/api/v1/dossiers/{got[0]}/documents",
                token=self.tokens["tiepnhan"],
                raw=raw,
                content_type=ctype,
                key=uuid.uuid4().hex,
            )
            if status == 201:
                with self.lock:
                    self.uploads.append((got[0], body["id"], hashlib.sha256(data).hexdigest()))

    def complaint(self) -> None:
        self.client.call(
            "POST",
            "/api/v1/public/feedback",
            key=uuid.uuid4().hex,
            body={"content": "Thủ tục chậm, đề nghị kiểm tra", "name": "Trần Thị Góp Ý"},
        )

    def report(self) -> None:
        self.client.call(
            "GET",
            "/api/v1/stats/dossiers?from=2026-01-01&to=2027-01-01&group_by=unit",
            token=self.tokens["lanhdao"],
        )

    MIX = (
        ("reception", 4),
        ("step", 2),
        ("apology", 1),
        ("lookup", 4),
        ("upload", 2),
        ("complaint", 1),
        ("report", 1),
    )

    def run(self, seconds: float, clients: int) -> float:
        names = [n for n, w in self.MIX for _ in range(w)]
        stop = time.monotonic() + seconds

        def loop() -> None:
            while time.monotonic() < stop:
                getattr(self, random.choice(names))()

        threads = [threading.Thread(target=loop) for _ in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - started


def token(client: Client, username: str) -> str:
    status, body = client.call(
        "POST", "/api/v1/auth/token", body={"username": username, "password": PASSWORD}, count=False
    )
    assert status == 200, (username, status, body)  # noqa: S101
    return str(body["token"])


def report_line(name: str, client: Client, seconds: float) -> float:
    rate = client.done / seconds
    print(
        f"  {name}: {client.done} requests in {seconds:.0f} s = {rate:.1f}/s; "
        f"first attempts by status {dict(sorted(client.first.items()))}; "
        f"after retries {dict(sorted(client.final.items()))}",
        flush=True,
    )
    return rate


def sql(cluster: Any, query: str, *, replica: bool = False) -> list[tuple[Any, ...]]:
    import psycopg

    pg = cluster.replica if replica else cluster.primary
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        return list(conn.execute(query).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faults-seconds", type=float, default=240)
    parser.add_argument("--calm-seconds", type=float, default=90)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    random.seed(21)
    gateway = Gateway()
    cluster = cluster_mod.Cluster(
        2,
        extra_env={
            "MOTCUA_SMS_URL": f"http://127.0.0.1:{gateway.port}/send",
            "MOTCUA_SMS_TOKEN": "soak-token",
        },
    )
    checks: list[tuple[str, bool, str]] = []
    try:
        cluster.up()
        started_at = sql(cluster, "SELECT now()")[0][0]
        client = Client(cluster.lb)
        tokens = {u: token(client, u) for u in ("tiepnhan", "chuyenvien", "lanhdao")}
        work = Workload(client, tokens)

        # (a) two nodes, faults
        print(f"== (a) two nodes with faults, {args.faults_seconds:.0f} s", flush=True)
        faults: list[tuple[float, str]] = []

        def inject() -> None:
            plan = [
                (0.15, "SIGKILL web process of node1", lambda: cluster.kill_web(0)),
                (0.35, "SIGKILL worker of node2", lambda: cluster.kill_worker(1)),
                (0.55, "restart the replica", cluster.restart_replica),
                (0.75, "restart Redis", cluster.restart_redis),
            ]
            t0 = time.monotonic()
            for share, what, act in plan:
                time.sleep(max(0.0, t0 + share * args.faults_seconds - time.monotonic()))
                faults.append((time.monotonic(), what))
                act()
                print(f"  fault at {time.monotonic() - t0:.0f} s: {what}", flush=True)

        injector = threading.Thread(target=inject)
        injector.start()
        seconds = work.run(args.faults_seconds, args.clients)
        injector.join()
        rate_faults = report_line("two nodes, faults", client, seconds)
        outside = [
            b for b in client.bad if not any(0 <= b[0] - at <= FAULT_WINDOW for at, _ in faults)
        ]
        checks.append(
            (
                "no 5xx / no answer outside the seconds of a fault",
                not outside,
                f"{len(client.bad)} inside fault windows, {len(outside)} outside {outside[:3]}",
            )
        )
        checks.append(
            (
                "none a client retry did not recover",
                not client.unrecovered,
                f"{len(client.unrecovered)} unrecovered {client.unrecovered[:3]}",
            )
        )
        cluster.wait_ready()

        # (b) two nodes, calm
        print(f"== (b) two nodes, no faults, {args.calm_seconds:.0f} s", flush=True)
        client.reset()
        rate_two = report_line("two nodes, calm", client, work.run(args.calm_seconds, args.clients))
        bad_calm = len(client.bad)

        # (c) one node, calm
        print(f"== (c) one node, no faults, {args.calm_seconds:.0f} s", flush=True)
        cluster.stop_node(1)
        time.sleep(3)  # HAProxy marks it down
        client.reset()
        rate_one = report_line("one node, calm", client, work.run(args.calm_seconds, args.clients))
        bad_calm += len(client.bad)
        checks.append(("no 5xx without faults", bad_calm == 0, f"{bad_calm}"))
        cluster.start_node(1)
        cluster.wait_ready()

        # .. the checks
        answered = [code for code, _ in work.dossiers]
        rows = (
            Counter(
                code
                for (code,) in sql(
                    cluster,
                    "SELECT code FROM dossiers_dossier WHERE code IN ("  # noqa: S608
                    + ",".join("'" + c.replace("'", "") + "'" for c in answered)
                    + ")",
                )
            )
            if answered
            else Counter()
        )
        soak_rows = sum(rows.values())
        checks.append(
            (
                "every dossier answered 201 exists exactly once",
                len(set(answered)) == len(answered) and all(rows[c] == 1 for c in answered),
                f"{len(answered)} answered 201, {soak_rows} found, duplicates "
                f"{sum(1 for c in rows if rows[c] > 1)}",
            )
        )
        per_day: dict[str, list[int]] = defaultdict(list)
        for (code,) in sql(cluster, "SELECT code FROM dossiers_dossier WHERE code <> ''"):
            head, _, number = code.rpartition("-")
            per_day[head].append(int(number))
        gaps = [h for h, ns in per_day.items() if sorted(ns) != list(range(1, len(ns) + 1))]
        checks.append(
            (
                "codes consecutive per unit and day",
                not gaps,
                f"{len(per_day)} unit-days, gaps in {gaps[:3]}",
            )
        )
        # notices: wait for the outbox to drain (the sweeps re-queue what a dead worker held)
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            pending = sql(
                cluster,
                "SELECT count(*) FROM notifications_message WHERE status IN "
                "('queued', 'sending', 'failed')",
            )[0][0]
            if not pending:
                break
            time.sleep(3)
        by_status = dict(
            sql(cluster, "SELECT status, count(*) FROM notifications_message GROUP BY status")
        )
        sms_sent = {
            f"motcua-message-{pk}"
            for (pk,) in sql(
                cluster,
                "SELECT id FROM notifications_message WHERE status = 'sent' AND channel = 'sms'",
            )
        }
        twice = [k for k, n in gateway.delivered.items() if n > 1]
        checks.append(
            (
                "every notice delivered exactly once",
                not pending and not twice and sms_sent <= set(gateway.delivered),
                f"outbox {by_status}; SMS delivered {len(gateway.delivered)}, twice {len(twice)}, "
                f"repeats absorbed by the idempotency key {gateway.repeats}",
            )
        )
        claims = sql(
            cluster,
            "SELECT task, count(*), count(DISTINCT period_start) FROM core_periodclaim "  # noqa: S608
            f"WHERE claimed_at >= '{started_at.isoformat()}' GROUP BY task",
        )
        minutes = sql(
            cluster,
            f"SELECT floor(extract(epoch FROM now() - '{started_at.isoformat()}'::timestamptz)/60)",  # noqa: S608
        )[0][0]
        sweep_claims = {t: n for t, n, d in claims if n == d}
        checks.append(
            (
                "each periodic task ran once per period",
                all(n == d for _, n, d in claims) and claims != [],
                f"claims per task {sweep_claims} over ~{int(minutes)} minutes",
            )
        )
        # the replica's report after catch-up equals the primary's
        lsn = sql(cluster, "SELECT pg_current_wal_lsn()")[0][0]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            caught = sql(
                cluster, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", replica=True
            )[0][0]
            if caught:
                break
            time.sleep(0.5)
        path = "/api/v1/stats/dossiers?from=2026-01-01&to=2027-01-01&group_by=unit"
        reports = {}
        for name, cookie in (("replica", ""), ("primary", "motcua_primary=1")):
            request = urllib.request.Request(  # noqa: S310
                cluster.lb + path,
                headers={"Authorization": f"Bearer {tokens['lanhdao']}", "Cookie": cookie},
            )
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                body = json.loads(answer.read())
                reports[name] = (
                    answer.headers.get("X-MotCua-Read", ""),
                    body["items"],
                    body["total"],
                )
        checks.append(
            (
                "the replica's report equals the primary's after catch-up",
                reports["replica"][1:] == reports["primary"][1:]
                and reports["replica"][0] == "replica"
                and reports["primary"][0] == "primary",
                f"read from {reports['replica'][0]!r} vs {reports['primary'][0]!r}; "
                f"received total {reports['primary'][2].get('received')}",
            )
        )
        unreadable = []
        for code, doc, digest in work.uploads:
            for node in cluster.nodes:
                request = urllib.request.Request(  # noqa: S310
                    f"{node.base}/api/v1/dossiers/{code}/documents/{doc}/content",
                    headers={"Authorization": f"Bearer {tokens['tiepnhan']}"},
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                        ok = hashlib.sha256(answer.read()).hexdigest() == digest
                except OSError:
                    ok = False
                if not ok:
                    unreadable.append((node.name, code, doc))
        checks.append(
            (
                "every uploaded file readable through both web processes",
                bool(work.uploads) and not unreadable,
                f"{len(work.uploads)} files x {len(cluster.nodes)} nodes, unreadable "
                f"{unreadable[:3]}",
            )
        )
        print("== throughput")
        print(f"  with faults / without (two nodes): {rate_faults / rate_two:.2f}")
        print(f"  one node / two nodes (no faults): {rate_one / rate_two:.2f}")
        print("== checks")
        for name, ok, detail in checks:
            print(f"  {'ok' if ok else 'FAILED'}  {name}: {detail}")
    finally:
        cluster.down()
        gateway.server.shutdown()


if __name__ == "__main__":
    main()
