"""The staff's search box at 1,000,000 dossiers on PostgreSQL. Prints figures, asserts nothing.

Run from the repository root: ``python bench/search.py [--dossiers 1000000] [--queries 300]
[--keep]``. It creates its own database ``bench_search`` on the server of DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432``), migrates it, writes the dossiers and their applicants
in two ``INSERT … SELECT … FROM generate_series`` statements (names, ID numbers and phones
drawn by arithmetic on the row number, the folded ``search_text`` written the way
`motcua.dossiers.search.search_text_of` writes it), ANALYZEs, and drops the database at the end
unless ``--keep``.

Then, as a receptionist of the ward that received them (every dossier is visible: the scope of
`dossiers_visible_to` is part of what is measured), it times in the same run and interleaved:

a. the look-up by code — the staff's `get_dossier_for` query (the code in any case, through the
   index on UPPER(code)), reading the first page's columns;
b. the search by a name fragment — `search_dossiers(staff, "<middle> <given>")`, the first 20
   ranked results (trigram GIN index on `search_text`);
c. the search by a phone number an applicant has — `search_dossiers(staff, "09xx xxx xxx")`.

and prints p50 / p99 of each and the ratios b/a and c/a (target: p99 of b ≤ 5 × p99 of a).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_search"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"

FAMILY = [
    ("Nguyễn", "nguyen"), ("Trần", "tran"), ("Lê", "le"), ("Phạm", "pham"), ("Hoàng", "hoang"),
    ("Huỳnh", "huynh"), ("Phan", "phan"), ("Vũ", "vu"), ("Võ", "vo"), ("Đặng", "dang"),
    ("Bùi", "bui"), ("Đỗ", "do"), ("Hồ", "ho"), ("Ngô", "ngo"), ("Dương", "duong"), ("Lý", "ly"),
]  # fmt: skip
MIDDLE = [
    ("Văn", "van"), ("Thị", "thi"), ("Hữu", "huu"), ("Đức", "duc"), ("Minh", "minh"),
    ("Ngọc", "ngoc"), ("Thanh", "thanh"), ("Quang", "quang"), ("Xuân", "xuan"), ("Kim", "kim"),
    ("Gia", "gia"), ("Bảo", "bao"),
]  # fmt: skip
GIVEN = [
    ("An", "an"), ("Anh", "anh"), ("Bình", "binh"), ("Châu", "chau"), ("Chi", "chi"),
    ("Cường", "cuong"), ("Dũng", "dung"), ("Duy", "duy"), ("Giang", "giang"), ("Hà", "ha"),
    ("Hải", "hai"), ("Hạnh", "hanh"), ("Hiếu", "hieu"), ("Hoa", "hoa"), ("Hùng", "hung"),
    ("Hương", "huong"), ("Khánh", "khanh"), ("Khoa", "khoa"), ("Lan", "lan"), ("Linh", "linh"),
    ("Long", "long"), ("Mai", "mai"), ("Nam", "nam"), ("Nga", "nga"), ("Nhung", "nhung"),
    ("Phong", "phong"), ("Phúc", "phuc"), ("Phương", "phuong"), ("Quân", "quan"),
    ("Quỳnh", "quynh"), ("Sơn", "son"), ("Tâm", "tam"), ("Thảo", "thao"), ("Thắng", "thang"),
    ("Thủy", "thuy"), ("Tiến", "tien"), ("Trang", "trang"), ("Trung", "trung"), ("Tú", "tu"),
    ("Tuấn", "tuan"), ("Uyên", "uyen"), ("Vân", "van"), ("Việt", "viet"), ("Vinh", "vinh"),
    ("Xuyến", "xuyen"), ("Yến", "yen"), ("Đạt", "dat"), ("Điệp", "diep"), ("Ánh", "anh"),
    ("Ngân", "ngan"), ("Nhật", "nhat"), ("Oanh", "oanh"), ("Sang", "sang"), ("Thông", "thong"),
    ("Toàn", "toan"), ("Trâm", "tram"), ("Vy", "vy"), ("Hậu", "hau"), ("Lộc", "loc"),
]  # fmt: skip


def _params(url: str) -> dict[str, Any]:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    return {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"] or "postgres",
        "password": cfg["PASSWORD"] or None,
    }


def _bench_url(url: str) -> str:
    p = _params(url)
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{DB_NAME}"


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=5, **_params(url)
    ) as c:
        c.execute(sql)


def _arr(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _load(n: int) -> tuple[Any, list[str], list[str]]:
    """The ward, its receptionist, one procedure and ``n`` dossiers with their applicants."""
    from datetime import date
    from decimal import Decimal

    from django.db import connection

    from motcua.catalog.models import Field, Procedure
    from motcua.dossiers.models import Applicant, Dossier
    from motcua.org.models import Membership, Role, Staff, Unit

    ward = Unit.objects.create(code="BS.01", name="Phường Bench", kind="commune")
    staff = Staff.objects.create_user(username="bench", password="bench-search-1")  # noqa: S106
    Membership.objects.create(staff=staff, unit=ward, role=Role.RECEPTIONIST)
    field = Field.objects.create(code="HT", name="Hộ tịch")
    proc = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        legal_working_days=Decimal(3),
        target_working_hours=Decimal(24),
        effective_from=date(2020, 1, 1),
    )
    proc.units.add(ward)
    q = connection.ops.quote_name
    nf, nm, ng = len(FAMILY), len(MIDDLE), len(GIVEN)
    folded = (
        f"(fam_f[1 + i % {nf}] || ' ' || mid_f[1 + (i / {nf}) % {nm}] || ' '"
        f" || giv_f[1 + (i / {nf * nm}) % {ng}])"
    )
    proper = (
        f"(fam[1 + i % {nf}] || ' ' || mid[1 + (i / {nf}) % {nm}] || ' '"
        f" || giv[1 + (i / {nf * nm}) % {ng}])"
    )
    code = "('BS.01-' || to_char(DATE '2020-01-01' + (i / 5000), 'YYMMDD') || '-' || lpad((1 + i % 5000)::text, 4, '0'))"
    phone = "('09' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0'))"
    id_number = "('0011' || lpad(i::text, 8, '0'))"
    explicit = {
        "code": code,
        "procedure_id": str(proc.pk),
        "unit_id": str(ward.pk),
        "channel": "'counter'",
        "status": "(CASE WHEN i % 10 < 7 THEN 'returned' ELSE 'in_progress' END)",
        "received_at": "(TIMESTAMPTZ '2020-01-01 09:00+07' + (i / 5000) * INTERVAL '1 day')",
        "due_at": "(TIMESTAMPTZ '2020-01-04 09:00+07' + (i / 5000) * INTERVAL '1 day')",
        "documents": "'[]'::jsonb",
        "paused_working": "INTERVAL '0'",
        "lookup_nonce": "md5(i::text)",
        "lookup_secret_hash": "md5(i::text || 'x')",
        "search_text": f"(lower({code}) || ' ' || {folded} || ' ' || {id_number} || ' ' || {phone})",
        "created_at": "now()",
    }
    cols, exprs = [], []
    for f in Dossier._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.column in explicit:
            expr = explicit[f.column]
        elif f.null:
            continue
        elif f.has_default():
            default = f.get_default()
            expr = (
                {True: "true", False: "false"}.get(default) if isinstance(default, bool) else None
            )
            expr = expr or ("'" + str(default).replace("'", "''") + "'")
        else:
            expr = "''"
        cols.append(q(f.column))
        exprs.append(expr)
    arrays = (
        f"{_arr([f for f, _ in FAMILY])} AS fam, {_arr([f for _, f in FAMILY])} AS fam_f,"
        f" {_arr([m for m, _ in MIDDLE])} AS mid, {_arr([m for _, m in MIDDLE])} AS mid_f,"
        f" {_arr([g for g, _ in GIVEN])} AS giv, {_arr([g for _, g in GIVEN])} AS giv_f"
    )
    d, a = q(Dossier._meta.db_table), q(Applicant._meta.db_table)
    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute(
            f"INSERT INTO {d} ({', '.join(cols)})"  # noqa: S608 - names from _meta, no input
            f" SELECT {', '.join(exprs)} FROM generate_series(0, {n - 1}) AS i, (SELECT {arrays}) AS v"
        )
        c.execute(
            f"INSERT INTO {a} (dossier_id, name, id_number, phone, email, address)"  # noqa: S608
            f" SELECT x.id, {proper}, {id_number}, {phone}, '', ''"
            f" FROM (SELECT id, id - (SELECT MIN(id) FROM {d}) AS i FROM {d}) AS x, (SELECT {arrays}) AS v"
        )
        print(f"loaded {n:,} dossiers and applicants in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        c.execute(f"ANALYZE {d}")
        c.execute(f"ANALYZE {a}")
        print(f"analyzed in {time.perf_counter() - t:.1f} s")
        c.execute(
            f"SELECT x.code, y.phone FROM {d} AS x JOIN {a} AS y ON y.dossier_id = x.id"  # noqa: S608
            " ORDER BY random() LIMIT 2000"
        )
        codes, phones = map(list, zip(*c.fetchall(), strict=True))
    return staff, codes, phones


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the bench_search database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL to a postgres:// URL")
    _admin(url, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{DB_NAME}"')
    try:
        os.environ["DATABASE_URL"] = _bench_url(url)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - t:.1f} s")
        staff, codes, phones = _load(args.dossiers)
        _measure(staff, codes, phones, args.queries)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(url, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _measure(staff: Any, codes: list[str], phones: list[str], queries: int) -> None:
    from django.db.models.functions import Upper

    from motcua.dossiers.search import search_dossiers
    from motcua.dossiers.selectors import dossiers_visible_to

    rng = random.Random(19)  # noqa: S311 - a benchmark's draw, not a secret
    columns = ("code", "status", "due_at", "received_at")

    def by_code() -> int:
        code = rng.choice(codes).lower()
        rows = list(
            dossiers_visible_to(staff)
            .annotate(code_upper=Upper("code"))
            .filter(code_upper=code.upper())
            .values_list(*columns)[:1]
        )
        return len(rows)

    def by_name() -> int:
        frag = f"{rng.choice(MIDDLE)[1]} {rng.choice(GIVEN)[0]}"  # as typed, with diacritics
        return len(list(search_dossiers(staff, frag).values_list(*columns)[:20]))

    def by_phone() -> int:
        phone = rng.choice(phones)  # a number some applicant has
        return len(
            list(
                search_dossiers(staff, f"{phone[:4]} {phone[4:7]} {phone[7:]}").values_list(
                    *columns
                )[:20]
            )
        )

    timings: dict[str, list[float]] = {"a. code": [], "b. name fragment": [], "c. phone": []}
    found: dict[str, int] = dict.fromkeys(timings, 0)
    for fn, key in ((by_code, "a. code"), (by_name, "b. name fragment"), (by_phone, "c. phone")):
        for _ in range(10):  # warm-up
            fn()
        del key
    for _ in range(queries):
        for fn, key in (
            (by_code, "a. code"),
            (by_name, "b. name fragment"),
            (by_phone, "c. phone"),
        ):
            t = time.perf_counter()
            n = fn()
            timings[key].append((time.perf_counter() - t) * 1000)
            found[key] += n
    ref99 = _pct(timings["a. code"], 99)
    print(f"{queries} queries of each kind, interleaved, as a receptionist of the ward")
    for key, values in timings.items():
        p50, p99 = statistics.median(values), _pct(values, 99)
        print(
            f"{key:18} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  p99/p99(a) {p99 / ref99:5.2f}"
            f"  rows per query {found[key] / queries:5.1f}"
        )
    print(
        f"target: p99(b) <= 5 x p99(a): {'met' if _pct(timings['b. name fragment'], 99) <= 5 * ref99 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
