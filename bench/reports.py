"""Statistics at scale (issue 8): the dossier report over millions of dossiers on PostgreSQL,
against DuckDB over the same rows in Parquet. Prints figures, asserts nothing.

Run from the repository root: ``python bench/reports.py [--rows 10000000] [--units 600]``.
It needs a PostgreSQL server (``BENCH_DATABASE_URL`` or ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/postgres``: only its host and credentials are used) and
installs the ``bench`` extra (duckdb, pyarrow) when they are missing.

1. Creates a SEPARATE database ``motcua_bench_reports`` (dropped first if a previous run left it),
   migrates it with ``motcua migrate``, and writes ``--rows`` dossiers over ``--units`` wards and
   five years (2021–2025, plus January 2026 until the bench's fixed "now", 20/01/2026 10:00)
   through ``COPY`` with the rules the services follow: an effective reception (online after
   hours: the next morning), a statutory due N working days later at 17:00, the D7 class judged
   at ready time against it, statuses matching the times (returned / ready / stopped / refused at
   intake / submitted / open, some paused for a supplement), green-lane targets at 40 %.
2. In a child process (so that its peak memory is the report's own): the nightly roll-up of every
   finished month, then the monthly report of all units (December 2025, by unit), the yearly report
   (2025, by unit) — each from the roll-ups and, for reference, from the raw tables — and the board
   of one ward (this month by unit, the last twelve months by month). Best of three runs each.
3. Exports the received dossiers to Parquet and times DuckDB computing the same monthly and
   yearly figures with the same definitions, and checks that the figures are equal.
4. Prints the ratios (target: MotCua ≤ 1.0× DuckDB) and the report process's peak memory (target
   ≤ 300 MB), then drops the database and the Parquet file (``--keep`` keeps them).
5. Any period, and growth: the report of an arbitrary 17-day period (05/12–21/12/2025, by unit,
   all units) against the whole-month report of the same run (target ≤ 2×; the period is read
   from the daily roll-ups of its days, "raw tables" is how it was computed before they
   existed), and — unless
   ``--compare-rows 0`` — the same steps 1–2 first at ``--compare-rows`` dossiers (default
   1,000,000) in a database of its own, so that the monthly report's cost at that volume and at
   ``--rows`` are measured on the same machine in the same run (target: growth ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "motcua_bench_reports"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
TIME_LIMIT_S = 100 * 60  # the whole run stops by itself after this

# The bench's "now": 20/01/2026 10:00 in Asia/Ho_Chi_Minh, as epoch seconds.
NOW_ISO = "2026-01-20T10:00:00+07:00"


def _server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL


def _params(url: str) -> dict[str, Any]:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        raise SystemExit(f"bench/reports.py measures PostgreSQL; not a PostgreSQL URL: {url}")
    return {
        "host": cfg["HOST"] or None,
        "port": cfg["PORT"] or None,
        "user": cfg["USER"] or None,
        "password": cfg["PASSWORD"] or None,
    }


def _bench_url(url: str) -> str:
    p = _params(url)
    auth = p["user"] or "postgres"
    if p["password"]:
        auth += f":{p['password']}"
    return f"postgres://{auth}@{p['host'] or '127.0.0.1'}:{p['port'] or 5432}/{DB_NAME}"


def _ensure_bench_extra() -> None:
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        print("installing the bench extra (duckdb, pyarrow): pip install -e '.[bench]'")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "-e", ".[bench]"],
            check=True,
            cwd=ROOT,
        )


# ------------------------------------------------------------------------ the database
def _create_database(url: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=5, **_params(url)
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{DB_NAME}"')


def _drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=5, **_params(url)
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _catalog(units: int) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The city, ``units`` wards and 40 procedures in 8 fields; returns the ward ids and, per
    procedure, (id, statutory working days, online share in ‰)."""
    from datetime import date
    from decimal import Decimal

    from motcua.catalog.models import Field, Procedure
    from motcua.org.models import Unit

    city = Unit.objects.create(code="HN", name="Thành phố Hà Nội (bench)", kind="province")
    Unit.objects.bulk_create(
        Unit(code=f"HN.{i:03d}", name=f"Phường Bench {i:03d}", kind="commune", parent=city)
        for i in range(1, units + 1)
    )
    ward_ids = list(Unit.objects.filter(parent=city).order_by("code").values_list("pk", flat=True))
    fields = Field.objects.bulk_create(
        Field(code=f"F{i}", name=f"Lĩnh vực {i}") for i in range(1, 9)
    )
    procedures = []
    for i in range(40):
        days = (1, 2, 3, 5, 7, 10, 15)[i % 7]
        procedures.append(
            Procedure(
                code=f"B.{i:04d}",
                effective_from=date(2020, 1, 1),
                name=f"Thủ tục bench {i}",
                field=fields[i % 8],
                legal_working_days=Decimal(days),
                target_working_hours=Decimal(days * 8),
                online_mode="full" if i % 3 else "partial",
            )
        )
    created = Procedure.objects.bulk_create(procedures)
    return ward_ids, [
        (p.pk, int(p.legal_working_days or 0), 700 if i % 3 else 300) for i, p in enumerate(created)
    ]


COLUMNS = (
    "code procedure_id unit_id channel status outcome green_lane_group green_lane documents note "
    "submitted_at received_at received_at_reason effective_received_at due_at original_due_at "
    "green_lane_due_at paused_at paused_working ready_at returned_at refused_at stopped_at "
    "timeliness extension_used lookup_nonce lookup_secret_hash created_at search_text"
).split()


def _generate(rows: int, ward_ids: list[int], procedures: list[tuple[int, int, int]]) -> float:
    """COPY ``rows`` dossiers; returns the seconds it took."""
    import numpy as np
    import psycopg
    from django.db import connection

    rng = np.random.default_rng(20260120)
    tz = 7 * 3600
    start = int(np.datetime64("2021-01-01T00:00:00").astype("datetime64[s]").astype(np.int64)) - tz
    now = int(np.datetime64("2026-01-20T10:00:00").astype("datetime64[s]").astype(np.int64)) - tz
    span_days = (now - start) // 86400
    proc_ids = np.array([p[0] for p in procedures])
    proc_days = np.array([p[1] for p in procedures])
    proc_online = np.array([p[2] for p in procedures])
    wards = np.array(ward_ids)
    # Zipf-like weights: a few procedures take most dossiers, as in a real ward
    weights = 1.0 / np.arange(1, len(procedures) + 1) ** 0.9
    weights /= weights.sum()

    def fmt(a: np.ndarray, mask: np.ndarray) -> list[str]:
        """Epoch seconds → 'YYYY-MM-DD HH:MM:SS+00' or '\\N'."""
        text = np.datetime_as_string(a.astype("datetime64[s]"), unit="s")
        out = np.char.add(np.char.replace(text, "T", " "), "+00")
        return np.where(mask, out, "\\N").tolist()

    settings = connection.settings_dict
    conninfo = {
        "dbname": settings["NAME"],
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    t0 = time.perf_counter()
    chunk = 500_000
    with psycopg.connect(**conninfo) as pg:
        pg.execute("SET session_replication_role = replica")  # no FK triggers while loading
        indexes = pg.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for name, _def in indexes:
            pg.execute(f'DROP INDEX "{name}"')
        done = 0
        while done < rows:
            n = min(chunk, rows - done)
            day = rng.integers(0, span_days, n)
            # working hours 08:00–17:00 local, and some online submissions after hours
            minute = rng.integers(8 * 60, 17 * 60, n)
            received = start + day * 86400 + minute * 60
            weekday = (day + 4) % 7  # 01/01/2021 was a Friday: 0 = Monday
            received += np.where(weekday >= 5, (7 - weekday) * 86400, 0)  # weekend → Monday
            received = np.minimum(received, now - 3600 - rng.integers(0, 86400, n))
            p = rng.choice(len(procedures), n, p=weights)
            online = rng.integers(0, 1000, n) < proc_online[p]
            postal = ~online & (rng.integers(0, 100, n) < 12)
            channel = np.where(online, "online", np.where(postal, "postal", "counter"))
            late_online = online & (rng.integers(0, 100, n) < 20)
            effective = np.where(
                late_online, (received // 86400 + 1) * 86400 + 1 * 3600, received
            )  # after hours → 08:00 next day
            effective = np.maximum(effective, received)
            wd = proc_days[p]
            # N working days ≈ N + 2 × (N // 5) calendar days; due at 17:00 local (10:00 UTC)
            due_day = (effective + tz) // 86400 + wd + 2 * (wd // 5)
            due = due_day * 86400 - tz + 17 * 3600
            # how long it took: mostly early, some on the due day, a few late
            kind = rng.integers(0, 1000, n)
            frac = rng.random(n)
            ready = np.where(
                kind < 820,
                effective + (frac * np.maximum(due - effective - 86400, 3600)).astype(np.int64),
                np.where(
                    kind < 960,
                    due - (frac * 6 * 3600).astype(np.int64),
                    due + (frac * 5 * 86400).astype(np.int64) + 60,
                ),
            )
            ready = np.maximum(ready, effective + 600)
            fate = rng.integers(0, 1000, n)
            refused = fate < 8  # refused at intake: never received
            submitted = (fate >= 8) & (fate < 12) & online & (received > now - 3 * 86400)
            never = refused | submitted
            stopped = ~never & (fate >= 12) & (fate < 30)
            not_eligible = ~never & ~stopped & (fate >= 30) & (fate < 50)
            closes = np.where(stopped, effective + (frac * 3 * 86400).astype(np.int64), ready)
            is_open = ~never & (closes > now)
            ready_ok = ~never & ~stopped & ~is_open
            stop_ok = stopped & ~is_open
            paused = is_open & (rng.integers(0, 100, n) < 15)
            paused_at = effective + ((now - effective) * 0.5).astype(np.int64)
            # D7: early if the ready day (local) is before the due day, on time by the due
            ready_day = (ready + tz) // 86400
            timeliness = np.where(
                ready_day < due_day, "early", np.where(ready <= due, "on_time", "late")
            )
            timeliness = np.where(ready_ok, timeliness, "")
            returned = ready_ok & (ready < now - 86400) & (rng.integers(0, 100, n) < 90)
            status = np.select(
                [refused, submitted, stop_ok, returned, ready_ok, paused, is_open],
                [
                    "refused",
                    "submitted",
                    "stopped",
                    "returned",
                    "ready",
                    "awaiting_supplement",
                    "in_progress",
                ],
                "in_progress",
            )
            outcome = np.where(ready_ok, np.where(not_eligible, "not_eligible", "approved"), "")
            green = (~never) & (rng.integers(0, 100, n) < 5)
            green_due = effective + ((due - effective) * 0.4).astype(np.int64)
            unit = wards[rng.integers(0, len(wards), n)]
            rec = ~never
            cols = {
                "received": fmt(received, rec),
                "effective": fmt(effective, rec),
                "due": fmt(due, rec),
                "green_due": fmt(green_due, green),
                "paused": fmt(paused_at, paused),
                "ready": fmt(ready, ready_ok),
                "returned": fmt(ready + 3600, returned),
                "refused": fmt(received + 7200, refused),
                "stopped": fmt(closes, stop_ok),
                "submitted": fmt(received, online),
                "created": fmt(received, np.ones(n, dtype=bool)),
            }
            proc = proc_ids[p].tolist()
            unit_l = unit.tolist()
            channel_l = channel.tolist()
            status_l = status.tolist()
            outcome_l = outcome.tolist()
            green_l = green.tolist()
            timeliness_l = timeliness.tolist()
            created = cols["created"]
            with (
                pg.cursor() as cur,
                cur.copy(f"COPY dossiers_dossier ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                lines = []
                for i in range(n):
                    k = done + i
                    lines.append(
                        "\t".join(
                            (
                                f"B{unit_l[i]}-{k:09d}",
                                str(proc[i]),
                                str(unit_l[i]),
                                channel_l[i],
                                status_l[i],
                                outcome_l[i],
                                "investment" if green_l[i] else "",
                                "t" if green_l[i] else "f",
                                "[]",
                                "",
                                cols["submitted"][i],
                                cols["received"][i],
                                "",
                                cols["effective"][i],
                                cols["due"][i],
                                cols["due"][i],
                                cols["green_due"][i],
                                cols["paused"][i],
                                "0",
                                cols["ready"][i],
                                cols["returned"][i],
                                cols["refused"][i],
                                cols["stopped"][i],
                                timeliness_l[i],
                                "f",
                                f"{k:032x}",
                                "0" * 64,
                                created[i],
                                "",
                            )
                        )
                    )
                    if len(lines) >= 50_000:
                        copy.write("\n".join(lines) + "\n")
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
            pg.commit()
            done += n
            print(f"  {done:,} dossiers written ({time.perf_counter() - t0:.0f} s)", flush=True)
        t1 = time.perf_counter()
        for _name, definition in indexes:
            pg.execute(definition)
        pg.commit()
        print(f"  indexes rebuilt in {time.perf_counter() - t1:.0f} s", flush=True)
        pg.execute("ANALYZE dossiers_dossier")
        pg.commit()
    return time.perf_counter() - t0


# -------------------------------------------------------------------------- the reports
def _peak_mb() -> float:
    """resource.getrusage's maxrss of this process (Linux: kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vmhwm_mb() -> float | None:
    """The kernel's high-water mark of this process's resident memory since its exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _best(fn: Any, runs: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure(bench_url: str, what: str, out: Path) -> None:
    """A child process: ``rollup`` (the nightly task over every finished month) or ``reports``
    (monthly, yearly, board); its figures and peak memory go to ``out``."""
    _django(bench_url)
    from datetime import date, datetime

    from motcua.org.models import Unit
    from motcua.reports.facts import finished_months, refresh_facts
    from motcua.reports.selectors import Period, Scope, report

    now = datetime.fromisoformat(NOW_ISO)
    figures: dict[str, Any] = {}
    if what == "load":
        ward_ids, procedures = _catalog(int(os.environ["BENCH_UNITS"]))
        figures["load_s"] = _generate(int(os.environ["BENCH_ROWS"]), ward_ids, procedures)
        figures["wards"] = len(ward_ids)
        out.write_text(json.dumps(figures))
        return
    if what == "rollup":
        t0 = time.perf_counter()
        months = refresh_facts(months=finished_months(now), now=now)
        figures["rollup_s"] = time.perf_counter() - t0
        figures["rollup_months"] = len(months)
        from motcua.reports.models import DailyFact, MonthlyFact

        figures["rollup_rows"] = MonthlyFact.objects.count()
        figures["rollup_daily_rows"] = DailyFact.objects.count()
        figures["rollup_maxrss_mb"] = _peak_mb()
        out.write_text(json.dumps(figures))
        return
    dec = Period(date(2025, 12, 1), date(2026, 1, 1))
    year = Period(date(2025, 1, 1), date(2026, 1, 1))
    for name, period in (("monthly", dec), ("yearly", year)):
        seconds, result = _best(lambda p=period: report(period=p, group_by="unit", now=now))
        figures[f"{name}_s"] = seconds
        figures[f"{name}_total"] = result.total.counts
        figures[f"{name}_units"] = len(result.rows)
        seconds, raw = _best(
            lambda p=period: report(period=p, group_by="unit", now=now, use_facts=False), runs=1
        )
        figures[f"{name}_raw_s"] = seconds
        figures[f"{name}_same_as_raw"] = raw.total.counts == result.total.counts and [
            r.counts for r in raw.rows
        ] == [r.counts for r in result.rows]
        figures[f"{name}_rows"] = {r.key: r.counts for r in result.rows}
    # an arbitrary period that starts and ends inside a month, against the whole month
    days17 = Period(date(2025, 12, 5), date(2025, 12, 22))
    seconds, result = _best(lambda: report(period=days17, group_by="unit", now=now))
    figures["period17_s"] = seconds
    figures["period17_total"] = result.total.counts
    seconds, raw = _best(
        lambda: report(period=days17, group_by="unit", now=now, use_facts=False), runs=1
    )
    figures["period17_raw_s"] = seconds
    figures["period17_same_as_raw"] = [r.counts for r in raw.rows] == [
        r.counts for r in result.rows
    ]
    ward = Unit.objects.filter(kind="commune").order_by("code").first()
    assert ward is not None  # noqa: S101
    scope = Scope(unit_ids=frozenset({ward.pk}))

    def board() -> Any:
        this_month = report(period=Period(date(2026, 1, 1), date(2026, 2, 1)), scope=scope, now=now)
        twelve = report(
            period=Period(date(2025, 2, 1), date(2026, 2, 1)),
            scope=scope,
            group_by="month",
            now=now,
        )
        return this_month, twelve

    figures["board_s"], _ = _best(board)
    figures["maxrss_mb"] = _peak_mb()
    figures["vmhwm_mb"] = _vmhwm_mb()
    out.write_text(json.dumps(figures, default=str))


# ------------------------------------------------------------------------------ DuckDB
DUCK_SQL = """
WITH d AS (
  SELECT unit_id, channel, timeliness, outcome, green_lane, green_lane_due_at, ready_at,
         stopped_at, paused_at, original_due_at,
         least(effective_received_at, coalesce(ready_at, stopped_at, effective_received_at)) AS r,
         coalesce(ready_at, stopped_at) AS t
  FROM read_parquet('{path}')
), e AS (
  SELECT *, greatest(coalesce(original_due_at, r), r) AS due FROM d
  WHERE r < {end} AND (t IS NULL OR t >= {start})
)
SELECT unit_id,
  count(*) FILTER (WHERE r < {start}) AS carried_over,
  count(*) FILTER (WHERE r >= {start}) AS received,
  count(*) FILTER (WHERE r >= {start} AND channel = 'online') AS received_online,
  count(*) FILTER (WHERE r >= {start} AND channel = 'counter') AS received_counter,
  count(*) FILTER (WHERE r >= {start} AND channel = 'postal') AS received_postal,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end}) AS resolved,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND timeliness = 'early') AS resolved_early,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND timeliness = 'on_time') AS resolved_on_time,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND timeliness NOT IN ('early', 'on_time')) AS resolved_late,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND outcome = 'not_eligible') AS resolved_not_eligible,
  count(*) FILTER (WHERE t IS NULL OR t >= {end}) AS in_progress,
  count(*) FILTER (WHERE (t IS NULL OR t >= {end}) AND due < {asof}
                   AND (paused_at IS NULL OR original_due_at < paused_at)) AS in_progress_overdue,
  count(*) FILTER (WHERE ready_at IS NULL AND stopped_at >= {start} AND stopped_at < {end}) AS stopped,
  count(*) FILTER (WHERE r >= {start} AND green_lane) AS green_lane_received,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND green_lane) AS green_lane_resolved,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND green_lane
                   AND timeliness IN ('early', 'on_time')) AS green_lane_met_statutory,
  count(*) FILTER (WHERE ready_at >= {start} AND ready_at < {end} AND green_lane
                   AND ready_at <= green_lane_due_at) AS green_lane_met_target
FROM e GROUP BY unit_id
"""


def _export_parquet(bench_url: str, path: Path) -> float:
    import psycopg
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = _params(bench_url)
    cols = (
        "unit_id",
        "channel",
        "timeliness",
        "outcome",
        "green_lane",
        "green_lane_due_at",
        "ready_at",
        "stopped_at",
        "paused_at",
        "original_due_at",
        "effective_received_at",
    )
    schema = pa.schema(
        [
            ("unit_id", pa.int64()),
            ("channel", pa.string()),
            ("timeliness", pa.string()),
            ("outcome", pa.string()),
            ("green_lane", pa.bool_()),
        ]
        + [(c, pa.timestamp("us", tz="UTC")) for c in cols[5:]]
    )
    t0 = time.perf_counter()
    with psycopg.connect(dbname=DB_NAME, **p) as pg, pq.ParquetWriter(path, schema) as writer:
        with pg.cursor(name="export") as cur:
            cur.itersize = 200_000
            cur.execute(
                f"SELECT {', '.join(cols)} FROM dossiers_dossier "  # noqa: S608
                "WHERE effective_received_at IS NOT NULL"
            )
            while True:
                batch = cur.fetchmany(200_000)
                if not batch:
                    break
                columns = list(zip(*batch, strict=True))
                writer.write_table(
                    pa.table(
                        {
                            name: pa.array(columns[i], type=schema.field(name).type)
                            for i, name in enumerate(cols)
                        },
                        schema=schema,
                    )
                )
    return time.perf_counter() - t0


def _duck(path: Path, figures: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    out: dict[str, Any] = {}
    bounds = {
        "monthly": ("2025-12-01 00:00:00+07", "2026-01-01 00:00:00+07"),
        "yearly": ("2025-01-01 00:00:00+07", "2026-01-01 00:00:00+07"),
    }
    for name, (start, end) in bounds.items():
        sql = DUCK_SQL.format(
            path=path,
            start=f"TIMESTAMPTZ '{start}'",
            end=f"TIMESTAMPTZ '{end}'",
            asof=f"TIMESTAMPTZ '{end}'",
        )

        def run(sql: str = sql) -> Any:
            return con.execute(sql).fetchall()

        seconds, rows = _best(run)
        out[f"{name}_s"] = seconds
        names = [d[0] for d in con.execute(sql).description]
        ours = figures[f"{name}_rows"]
        by_unit = {r[0]: dict(zip(names[1:], r[1:], strict=True)) for r in rows}
        out[f"{name}_units"] = len(by_unit)
        out[f"{name}_ours_units"] = len(ours)
        total = dict.fromkeys(names[1:], 0)
        for counts in by_unit.values():
            for k, v in counts.items():
                total[k] += v
        ours_total = figures[f"{name}_total"]
        out[f"{name}_same"] = all(ours_total[k] == v for k, v in total.items())
        out[f"{name}_total"] = total
    return out


# ------------------------------------------------------------------------------ main
def _one_volume(url: str, bench_url: str, rows: int, units: int, work: Path) -> dict[str, Any]:
    """Steps 1–2 at ``rows`` dossiers in a fresh bench database; the child processes' figures."""
    print(f"database {DB_NAME}: create and migrate", flush=True)
    _create_database(url)
    env = {**os.environ, "DATABASE_URL": bench_url}
    motcua = str(Path(sys.executable).with_name("motcua"))
    subprocess.run([motcua, "migrate", "-v", "0"], check=True, cwd=ROOT, env=env)
    figures: dict[str, Any] = {}
    child_env = {
        **env,
        "BENCH_REPORTS_URL": bench_url,
        "BENCH_ROWS": str(rows),
        "BENCH_UNITS": str(units),
    }
    print(f"writing {rows:,} dossiers over {units} wards (COPY)", flush=True)
    for what in ("load", "rollup", "reports"):
        print(f"child process: {what}", flush=True)
        out = work / f"{what}.json"
        subprocess.run(
            [sys.executable, __file__, "--measure", what, str(out)],
            check=True,
            cwd=ROOT,
            env=child_env,
        )
        figures.update(json.loads(out.read_text()))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="dossiers to write")
    parser.add_argument("--units", type=int, default=600, help="wards")
    parser.add_argument("--keep", action="store_true", help="keep the database and the Parquet")
    parser.add_argument(
        "--compare-rows",
        type=int,
        default=1_000_000,
        help="first measure the same at this many dossiers (cost growth); 0: skip",
    )
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # a child: what, out
    args = parser.parse_args()
    if args.measure:
        measure(os.environ["BENCH_REPORTS_URL"], args.measure[0], Path(args.measure[1]))
        return

    url = _server_url()
    import psycopg

    try:
        psycopg.connect(dbname="postgres", connect_timeout=5, **_params(url)).close()
    except psycopg.Error as exc:
        print(f"SKIPPED: no PostgreSQL server at {url} ({exc})".strip())
        return
    _ensure_bench_extra()
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("time limit")))
    signal.alarm(TIME_LIMIT_S)
    bench_url = _bench_url(url)
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-reports-"))
    parquet = work / "dossiers.parquet"
    try:
        smaller: dict[str, Any] | None = None
        if 0 < args.compare_rows < args.rows:
            smaller = _one_volume(url, bench_url, args.compare_rows, args.units, work)
            _drop_database(url)
        figures = _one_volume(url, bench_url, args.rows, args.units, work)
        print("exporting the received dossiers to Parquet")
        export_s = _export_parquet(bench_url, parquet)
        duck = _duck(parquet, figures)
        size_mb = parquet.stat().st_size / 2**20

        print()
        print(
            f"=== bench/reports.py — {args.rows:,} dossiers, {figures['wards']} wards, PostgreSQL"
        )
        print(f"load (COPY + indexes)             {figures['load_s']:8.1f} s")
        print(
            f"nightly roll-up, {figures['rollup_months']} months        {figures['rollup_s']:8.2f} s "
            f"({figures['rollup_rows']:,} monthly rows, {figures['rollup_daily_rows']:,} daily rows)"
        )
        print(f"Parquet export ({size_mb:.0f} MB)           {export_s:8.1f} s")
        for name in ("monthly", "yearly"):
            ours, raw, dd = figures[f"{name}_s"], figures[f"{name}_raw_s"], duck[f"{name}_s"]
            t = figures[f"{name}_total"]
            print(
                f"{name:7} report, all units: MotCua {ours * 1000:8.1f} ms (raw tables "
                f"{raw * 1000:8.0f} ms) | DuckDB {dd * 1000:8.1f} ms | ratio {ours / dd:5.2f}× "
                f"(raw {raw / dd:5.1f}×)"
            )
            print(
                f"        figures: carried {t['carried_over']:,} received {t['received']:,} "
                f"resolved {t['resolved']:,} (early {t['resolved_early']:,}, on time "
                f"{t['resolved_on_time']:,}, late {t['resolved_late']:,}) in progress "
                f"{t['in_progress']:,} (overdue {t['in_progress_overdue']:,}) stopped {t['stopped']:,}"
            )
            print(
                f"        same figures as DuckDB: {duck[f'{name}_same']}; roll-ups = raw tables: "
                f"{figures[f'{name}_same_as_raw']}; units {figures[f'{name}_units']}"
            )
        p17, month = figures["period17_s"], figures["monthly_s"]
        print(
            f"17-day period 05–21/12/2025, all units: {p17 * 1000:8.1f} ms (raw tables "
            f"{figures['period17_raw_s'] * 1000:8.0f} ms) | whole month {month * 1000:8.1f} ms "
            f"| ratio {p17 / month:5.2f}× (target ≤ 2×); roll-ups = raw tables: "
            f"{figures['period17_same_as_raw']}"
        )
        if smaller is not None:
            small = smaller["monthly_s"]
            print(
                f"monthly report at {args.compare_rows:,} dossiers {small * 1000:8.1f} ms, at "
                f"{args.rows:,} {month * 1000:8.1f} ms | growth {month / small:5.2f}× "
                f"(target ≤ 1.5×); 17-day period {smaller['period17_s'] * 1000:8.1f} ms → "
                f"{p17 * 1000:8.1f} ms ({p17 / smaller['period17_s']:5.2f}×)"
            )
        print(f"board of one ward (month + 12 months) {figures['board_s'] * 1000:8.1f} ms")
        print(
            f"peak memory of the report process {figures['maxrss_mb']:8.0f} MB (getrusage maxrss; "
            f"VmHWM {figures['vmhwm_mb'] or 0:.0f} MB; target ≤ 300)"
        )
        print(f"peak memory of the roll-up process {figures['rollup_maxrss_mb']:7.0f} MB")
    finally:
        signal.alarm(0)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 - Django may not be set up yet
                pass
            _drop_database(url)
            print(f"dropped {DB_NAME} and the Parquet file")
        else:
            print(f"kept {DB_NAME} and {work}")


if __name__ == "__main__":
    main()
