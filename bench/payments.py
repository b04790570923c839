"""Online payment: the gateway's signed callbacks handled per second, against the bare insert view
of bench/api.py measured in the same run. Prints figures, asserts nothing.

Run from the repository root: ``python bench/payments.py [--payments 600] [--rounds 3]
[--connections 16] [--workers 4]``. It needs ``wrk`` (``make bench`` installs it) and a
PostgreSQL server: the database of DATABASE_URL, default
``postgres://postgres@127.0.0.1:5432/motcua_bench`` (created if missing, migrated, loaded with
the demo city; the rows the bench makes are left behind). The fake gateway runs as its own
process on 127.0.0.1 (``motcua.payments.fakegateway``) and is stopped at the end.

Before the rounds, ``--payments`` × ``--rounds`` dossiers of a procedure with a fee are received
at the demo wards (spread over them: each ward numbers its receipts in its own series) and an
online order is opened for each at the fake gateway, through the services, exactly as the
citizen's pay button does. The callbacks are then the gateway's notices for those orders, signed
with the shared secret (hex HMAC-SHA256 of the body in ``X-Signature``).

Three scenarios per round, against gunicorn (sync workers) serving bench/api.py's application
(MotCua's URLs plus its bare views):

c. ``POST /bench/insert`` — bench/api.py's bare Django view inserting one row (the reference);
f. ``POST /api/v1/payments/callbacks/paygov`` — first notices, each for a different order: the
   signature, the merchant, the order, the amount and the currency checked; the payment and the
   charge marked paid, the receipt numbered in its unit's series (row lock), the event, the
   citizen's notice in the outbox and the callback log, in one transaction. Every wrk thread
   takes its share of the round's orders and stops when it has its answers, so the rate counts
   first notices only (the database says how many orders were paid);
g. the same notices again (the gateway's retries): verified, found paid, logged as duplicates;
   nothing else changes.

The medians of the rounds give f/c and g/c.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import api as base  # noqa: E402 - bench/ is run as a script, not installed

CALLBACK = "/api/v1/payments/callbacks/paygov"


def _start_gateway(secret: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "motcua.payments.fakegateway", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MOTCUA_PAYMENT_SECRET": secret},
    )
    line = process.stdout.readline() if process.stdout is not None else ""
    if not line.startswith("LISTENING "):
        process.terminate()
        sys.exit(f"the fake gateway did not start: {line!r}")
    return process, f"http://127.0.0.1:{int(line.split()[1])}"


def _prepare(count: int, site: str) -> list[dict[str, Any]]:
    """Migrate, load the demo city, receive ``count`` dossiers with a fee at the demo wards and
    open an online order for each at the gateway: the callbacks' bodies, per order."""
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "migrate", "-v", "0"], check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([motcua, "demo", "-v", "0"], check=True, cwd=ROOT)  # noqa: S603
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db.models import Count

    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ApplicantData, DocumentData, receive_dossier
    from motcua.org.models import Membership
    from motcua.payments.models import Payment
    from motcua.payments.services import fix_amount_due, start_online_payment

    desks: dict[str, Any] = {}
    for m in Membership.objects.filter(
        role="receptionist", unit__kind="commune", active=True
    ).select_related("staff", "unit"):
        desks.setdefault(m.unit.code, m.staff)
    # the procedure with a fee offered by the most wards
    procedure = (
        Procedure.objects.filter(fee__gt=0, units__code__in=desks)
        .annotate(wards=Count("units"))
        .order_by("-wards", "code", "-effective_from")
        .first()
    )
    if procedure is None:
        sys.exit("the demo city has no procedure with a fee offered by a ward")
    wards = sorted(procedure.units.filter(code__in=desks).values_list("code", flat=True))
    papers = [
        DocumentData(name=d.name, copies=d.copies or 1)
        for d in procedure.documents.filter(mandatory=True)
    ]
    print(
        f"preparing {count} orders: {procedure.code} ({procedure.fee:,} đồng) at {len(wards)} wards"
    )
    started = time.monotonic()
    bodies: list[dict[str, Any]] = []
    for i in range(count):
        ward = wards[i % len(wards)]
        created = receive_dossier(
            actor=desks[ward],
            procedure_code=procedure.code,
            unit_code=ward,
            applicant=ApplicantData(name=f"Phạm Thị Thanh Toán {i}"),
            documents=papers,
        )
        fix_amount_due(dossier_id=created.dossier.pk, actor=desks[ward])
        payment: Payment = start_online_payment(
            dossier=created.dossier,
            gateway="paygov",
            return_url=f"{site}/tra-cuu/{created.dossier.code}/thanh-toan/ket-qua/",
            notify_url=f"{site}{CALLBACK}",
        )
        bodies.append(
            {
                "merchant": "MOTCUA",
                "order_id": payment.order_id,
                "gateway_ref": payment.gateway_ref,
                "amount": payment.amount,
                "currency": "VND",
                "status": "success",
                "paid_at": "",
                "nonce": secrets.token_hex(4),
            }
        )
    print(f"prepared in {time.monotonic() - started:.0f} s")
    return bodies


def _lua_strided(requests: list[tuple[str, dict[str, str], str]], threads: int) -> str:
    """bench/api.py's POST script, but each wrk thread starts at its own offset and strides by
    the number of threads: the threads never send the same notice at the same time."""
    script = base._lua_post(requests)
    head, _, _ = script.partition("local n = 0")
    return head + (
        "local next_id = 0\n"
        "function setup(thread)\n  thread:set('id', next_id)\n  next_id = next_id + 1\nend\n"
        "function init(args)\n  n = id\nend\n"
        "request = function()\n"
        f"  local r = reqs[(n % #reqs) + 1]\n  n = n + {threads}\n  return r\nend\n"
    )


def _signed(bodies: list[dict[str, Any]], secret: str) -> list[tuple[str, dict[str, str], str]]:
    from motcua.payments import rules

    out = []
    for payload in bodies:
        raw = json.dumps(payload)
        headers = {
            "Content-Type": "application/json",
            "X-Signature": rules.sign(secret.encode(), raw.encode()),
        }
        out.append((CALLBACK, headers, raw))
    return out


def _row(name: str, r: dict[str, str], rates: dict[str, list[float]]) -> None:
    print(f"{name:<44} {r['rps']:>9} {r['p50']:>9} {r['p99']:>9} {r['errors']:>8}")
    if r["rps"] != "?":
        rates[name].append(float(r["rps"]))


def _paid_ids(order_ids: list[str]) -> list[str]:
    from motcua.payments.models import Payment

    return list(
        Payment.objects.filter(order_id__in=order_ids, status="paid").values_list(
            "order_id", flat=True
        )
    )


def _paid(order_ids: list[str]) -> int:
    from motcua.payments.models import Payment

    return Payment.objects.filter(order_id__in=order_ids, status="paid").count()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--payments", type=int, default=1500, help="orders prepared per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=3, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    url = os.environ.get("DATABASE_URL") or base.DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))
    secret = secrets.token_hex(32)
    os.environ["MOTCUA_PAYMENT_SECRET"] = secret
    # gunicorn serves: its processes must be given their keys (settings refuse to make them up)
    for key in ("SECRET_KEY", "MOTCUA_LOOKUP_KEY"):
        os.environ.setdefault(key, secrets.token_urlsafe(50))
    base._database(url)
    gateway, gateway_url = _start_gateway(secret)
    os.environ["MOTCUA_PAYMENT_GATEWAY_URL"] = gateway_url
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    server = None
    try:
        orders = _prepare(args.payments * args.rounds, site)
        server = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).with_name("gunicorn")), "bench.api:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
            + ["--log-level", "warning"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        _wait_for(port)
        _warm_up(site, args.workers)
        insert = base._lua_post([("/bench/insert", {}, "")])
        print(
            f"PostgreSQL, gunicorn {args.workers} sync workers, wrk {args.threads} threads "
            f"{args.connections} connections, {os.cpu_count()} CPUs; {args.rounds} rounds of "
            f"c - f - g, {args.duration} s each"
        )
        names = (
            "c. bare view, insert one row",
            "f. callback, first notice: paid + receipt",
            "g. callback, replayed notice",
        )
        rates: dict[str, list[float]] = {name: [] for name in names}
        for n in range(args.rounds):
            share = orders[n * args.payments : (n + 1) * args.payments]
            ids = [o["order_id"] for o in share]
            print(f"round {n + 1}")
            print(f"{'scenario':<44} {'req/s':>9} {'p50':>9} {'p99':>9} {'non-2xx':>8}")
            r = base._wrk(site, insert, args)
            _row(names[0], r, rates)
            # f: wrk's own rate would count the notices it sends again once every order of the
            # round is paid; the rate is the orders paid in the run, over its duration.
            started = time.monotonic()
            r = base._wrk(site, _lua_strided(_signed(share, secret), args.threads), args)
            paid = _paid(ids)
            r["rps"] = f"{paid / max(time.monotonic() - started, 1e-9):.2f}"
            _row(names[1], r, rates)
            if paid >= len(share):
                print("  every order of the round was paid: f is a floor (raise --payments)")
            done = [o for o in share if o["order_id"] in set(_paid_ids(ids))]
            r = base._wrk(site, _lua_strided(_signed(done, secret), args.threads), args)
            _row(names[2], r, rates)
            if _paid(ids) != paid:
                print("  a replay changed the number of orders paid")
        med = {name: statistics.median(v) for name, v in rates.items() if v}
        c, f, g = (med.get(name, 0.0) for name in names)
        print("median req/s: " + ", ".join(f"{k[:1]} {v:.2f}" for k, v in med.items()))
        if c:
            print(
                f"f/c = {f / c:.2f} (first notices handled per second, against a bare insert)"
                f"    g/c = {g / c:.2f} (replays)"
            )
    finally:
        for process in (server, gateway):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _warm_up(site: str, workers: int) -> None:
    """Every worker sets Django up on its first request; measure only once they all answer."""
    import urllib.request

    for _ in range(workers * 4):
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1
            f"{site}/bench/insert", data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - 127.0.0.1
            answer.read()


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


if __name__ == "__main__":
    main()
