"""Throughput and latency of the dossier API under wrk, on PostgreSQL. Prints figures, asserts nothing.

Run from the repository root: ``python bench/api.py [--duration 10] [--connections 16]
[--workers 4] [--rounds 3]``; each round runs the five scenarios in turn, and the medians of the
rounds give the two ratios the targets speak of (b/a and d/c), and e/c. It needs ``wrk``
(``make bench`` installs it) and a PostgreSQL server: the database of DATABASE_URL, default
``postgres://postgres@127.0.0.1:5432/motcua_bench`` (created if missing, migrated, loaded with
the demo city; the rows the bench makes are left behind).

Five scenarios, each against gunicorn (sync workers) serving this module's WSGI application —
the MotCua URLs plus three bare views that show what Django and the database cost alone:

a. ``GET /bench/read/<pk>`` — a bare Django view reading one dossier row by primary key;
b. ``GET /api/v1/public/dossiers/<code>?secret=…`` — the public look-up: one query for the
   rate-limit count, the secret's hash, the dossier's last event and its public snapshot (built
   on the first look-up, during the warm-up), the procedure and the unit;
c. ``POST /bench/insert`` — a bare Django view inserting one row;
d. ``POST /api/v1/dossiers`` — reception through the API with a bearer token (the token, the
   unit and the receptionist's role, the procedure version and its steps, the code counter's
   upsert, the dossier, the applicant, the steps in one insert, the event, the notice in the
   outbox and its hand-off to the task queue), spread over the demo wards;
e. ``POST /bench/reception-floor`` — the floor under (d): a bare view writing, as raw SQL, only
   the statements no reception can do without — the token, the code counter's upsert and the
   rows of a received dossier (dossier, applicant, steps, event, notice) copied from one the
   service received; no reads (as if cached), no validation, no rendering, no task hand-off.
   e/c says how far any implementation of reception over these tables could go on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"


# ------------------------------------------------------------------ the served application
def bare_read(request: HttpRequest, pk: int) -> HttpResponse:
    from motcua.dossiers.models import Dossier

    row = Dossier.objects.filter(pk=pk).values("code", "status", "due_at").first()
    return JsonResponse(row or {}, status=200 if row else 404)


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from motcua.access.models import RateLimitHit

    row = RateLimitHit.objects.create(bucket="bench:insert", at=timezone.now())
    return JsonResponse({"id": row.pk}, status=201)


class _Floor:
    """What the floor of a reception writes, prepared once per process from a dossier received
    through the service: the INSERT statements of its tables and the values of its rows."""

    def __init__(self) -> None:
        from motcua.dossiers.models import Applicant, Dossier, DossierStep, Event
        from motcua.notifications.models import Message

        dossier = Dossier.objects.filter(status="received").select_related("unit").latest("pk")
        self.unit_id, self.unit_code = dossier.unit_id, dossier.unit.code
        self.dossier = self._rows(Dossier, [dossier])
        self.applicant = self._rows(Applicant, [dossier.applicant])
        self.steps = self._rows(DossierStep, list(dossier.steps.order_by("order")))
        self.event = self._rows(Event, list(dossier.events.all()[:1]))
        self.message = self._rows(Message, [Message.objects.filter(dossier_id=dossier.pk).first()])

    @staticmethod
    def _rows(model: Any, objs: list[Any]) -> tuple[str, list[str], list[list[Any]]]:
        from django.db import connection

        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        q = connection.ops.quote_name
        # names from the models' _meta, values bound
        columns = ", ".join(q(f.column) for f in fields)
        rows = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(objs))
        table, pk = q(model._meta.db_table), q(model._meta.pk.column)
        sql = f"INSERT INTO {table} ({columns}) VALUES {rows} RETURNING {pk}"  # noqa: S608
        values = [
            [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objs
        ]
        return sql, [f.attname for f in fields], values

    def insert(self, cursor: Any, rows: tuple[str, list[str], list[list[Any]]], **set_: Any) -> int:
        sql, names, values = rows
        params: list[Any] = []
        for row in values:
            params += [set_.get(name, value) for name, value in zip(names, row, strict=True)]
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


_floor: _Floor | None = None


@csrf_exempt
def reception_floor(request: HttpRequest) -> HttpResponse:
    """The floor under any reception: the statements it cannot do without, as raw SQL in a bare
    view — the bearer token, the code counter's upsert, and the rows of a received dossier (the
    dossier, its applicant, its steps, its event, its notice in the outbox), copied from one the
    service received. No reading of the unit, the role, the procedure or the calendar (as if
    cached), no validation, no notice rendering, no hand-off to the task queue."""
    import hashlib

    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.access.models import ApiToken
    from motcua.dossiers.codes import _upsert_sql, format_code

    global _floor
    if _floor is None:
        _floor = _Floor()
    f = _floor
    token = request.headers.get("Authorization", "").partition(" ")[2]
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT staff_id FROM {ApiToken._meta.db_table} "  # noqa: S608
            "WHERE token_hash = %s AND expires_at > %s",
            [hashlib.sha256(token.encode()).hexdigest(), timezone.now()],
        )
        if cursor.fetchone() is None:
            return JsonResponse({"detail": "no token"}, status=401)
        cursor.execute(_upsert_sql(), [f.unit_id, today])
        code = format_code(f.unit_code, today, cursor.fetchone()[0])
        pk = f.insert(cursor, f.dossier, code=code)
        f.insert(cursor, f.applicant, dossier_id=pk)
        f.insert(cursor, f.steps, dossier_id=pk)
        f.insert(cursor, f.event, dossier_id=pk)
        f.insert(cursor, f.message, dossier_id=pk, dedupe_key=f"bench:{pk}")
    return JsonResponse({"code": code}, status=201)


urlpatterns: list[Any] = []  # filled once Django is set up (see _application)


def _application() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = "bench.api"
    app = get_wsgi_application()
    urlpatterns[:] = [
        path("bench/read/<int:pk>", bare_read),
        path("bench/insert", bare_insert),
        path("bench/reception-floor", reception_floor),
        path("", include("motcua.urls")),
    ]
    return app


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """The WSGI entry point gunicorn imports (``bench.api:application``)."""
    global _app
    if _app is None:
        _app = _application()
    return _app(environ, start_response)


_app: Any = None


# ------------------------------------------------------------------------------ the bench
def _database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        sys.exit(f"bench/api.py measures PostgreSQL; DATABASE_URL is not one: {url}")
    params = {
        "host": cfg["HOST"] or None,
        "port": cfg["PORT"] or None,
        "user": cfg["USER"] or None,
        "password": cfg["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def _prepare(lookups: int) -> dict[str, Any]:
    """Migrate, load the demo city, make dossiers to look up and a receptionist's token."""
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "migrate", "-v", "0"], check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([motcua, "demo", "-v", "0"], check=True, cwd=ROOT)  # noqa: S603
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.access.services import issue_token
    from motcua.catalog.models import Procedure
    from motcua.demo import data
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import ApplicantData, DocumentData, receive_dossier
    from motcua.org.models import Membership, Unit

    desks = Membership.objects.filter(role="receptionist", unit__kind="commune", active=True)
    by_ward: dict[str, Any] = {}
    for m in desks.select_related("staff", "unit"):
        by_ward.setdefault(m.unit.code, m.staff)
    ward_codes = sorted(
        u.code for u in Unit.objects.filter(code__in=by_ward, procedures__code="1.001193")
    ) or [data.DEMO_WARD]
    procedure = "1.001193"  # registration of a birth, offered by every ward of the demo city
    papers = [
        DocumentData(name=d.name, copies=d.copies or 1)
        for d in Procedure.objects.filter(code=procedure)
        .order_by("-effective_from")[0]
        .documents.filter(mandatory=True)
    ]
    receptionist = by_ward[data.DEMO_WARD]
    looked_up = []
    for i in range(lookups):
        created = receive_dossier(
            actor=receptionist,
            procedure_code=procedure,
            unit_code=data.DEMO_WARD,
            applicant=ApplicantData(name=f"Nguyễn Văn Thử {i}"),
            documents=papers,
        )
        looked_up.append((created.dossier.code, created.lookup_secret))
    # one token per ward: each ward's receptionist receives at their own ward
    tokens = {code: issue_token(staff=by_ward[code])[0] for code in ward_codes}
    last = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first()
    return {
        "procedure": procedure,
        "papers": [{"name": d.name, "copies": d.copies} for d in papers],
        "lookups": looked_up,
        "tokens": tokens,
        "read_pk": last,
    }


def _lua_get_paths(paths: list[str]) -> str:
    items = ",".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{{items}}}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n"
        "  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n"
    )


def _lua_post(requests: list[tuple[str, dict[str, str], str]]) -> str:
    lines = ["local reqs = {}"]
    for p, headers, body in requests:
        h = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        lines.append(
            f"table.insert(reqs, wrk.format('POST', {json.dumps(p)}, {{{h}}}, {json.dumps(body)}))"
        )
    lines += [
        "local n = 0",
        "request = function()\n  n = n + 1\n  return reqs[(n % #reqs) + 1]\nend",
    ]
    return "\n".join(lines) + "\n"


def _wrk(base: str, script: str, args: argparse.Namespace) -> dict[str, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(  # noqa: S603
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-s",
            f.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(f.name)

    def grab(pattern: str) -> str:
        found = re.search(pattern, out)
        return found.group(1) if found else "?"

    return {
        "rps": grab(r"Requests/sec:\s+([\d.]+)"),
        "p50": grab(r"\s50%\s+([\d.]+\w+)"),
        "p99": grab(r"\s99%\s+([\d.]+\w+)"),
        "errors": grab(r"Non-2xx or 3xx responses:\s+(\d+)") if "Non-2xx" in out else "0",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--lookups", type=int, default=200, help="dossiers to look up")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the five scenarios")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))
    _database(url)
    prep = _prepare(args.lookups)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "bench.api:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        lookups = [f"/api/v1/public/dossiers/{c}?secret={s}" for c, s in prep["lookups"]]
        receptions = [
            (
                "/api/v1/dossiers",
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                json.dumps(
                    {
                        "procedure": prep["procedure"],
                        "unit": ward,
                        "channel": "counter",
                        "applicant": {"name": "Trần Thị Đo Tải"},
                        "documents": prep["papers"],
                    }
                ),
            )
            for ward, token in prep["tokens"].items()
        ]
        scenarios = [
            (
                "a. bare view, read one row by pk",
                _lua_get_paths([f"/bench/read/{prep['read_pk']}"]),
            ),
            ("b. public look-up by code and secret", _lua_get_paths(lookups)),
            ("c. bare view, insert one row", _lua_post([("/bench/insert", {}, "")])),
            ("d. reception through the API", _lua_post(receptions)),
            (
                "e. floor of a reception, raw SQL",
                _lua_post(
                    [
                        ("/bench/reception-floor", {"Authorization": headers["Authorization"]}, "")
                        for _path, headers, _body in receptions
                    ]
                ),
            ),
        ]
        # warm up: every worker sets Django up on its first request
        warm = argparse.Namespace(**{**vars(args), "duration": 3})
        _wrk(base, scenarios[0][1], warm)
        _wrk(base, scenarios[1][1], warm)
        print(
            f"PostgreSQL, gunicorn {args.workers} sync workers, wrk {args.threads} threads "
            f"{args.connections} connections {args.duration} s each, {os.cpu_count()} CPUs, "
            f"{args.rounds} rounds of a-b-c-d-e"
        )
        rates: dict[str, list[float]] = {name: [] for name, _ in scenarios}
        for round_no in range(1, args.rounds + 1):
            print(f"round {round_no}")
            print(f"{'scenario':<42} {'req/s':>9} {'p50':>9} {'p99':>9} {'non-2xx':>8}")
            for name, script in scenarios:
                r = _wrk(base, script, args)
                print(f"{name:<42} {r['rps']:>9} {r['p50']:>9} {r['p99']:>9} {r['errors']:>8}")
                if r["rps"] != "?":
                    rates[name].append(float(r["rps"]))
        # A neighbour's load shifts single runs; the medians of the rounds compare steadier.
        med = {name: statistics.median(v) for name, v in rates.items() if v}
        a, b, c, d, e = (med.get(name, 0.0) for name, _ in scenarios)
        print(
            "median req/s: " + ", ".join(f"{name[:1]} {value:.2f}" for name, value in med.items())
        )
        if a and c:
            print(f"b/a = {b / a:.2f} (target >= 0.8)    d/c = {d / c:.2f} (target >= 0.4)")
            print(f"e/c = {e / c:.2f} (the floor: what no reception through these tables can beat)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
