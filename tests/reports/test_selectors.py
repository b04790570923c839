"""The dossier report against the seed figures, the identities, and a plain Python count."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.catalog.models import Field
from motcua.dossiers.models import Apology, Dossier
from motcua.reports.selectors import FIGURES, Period, Scope, report
from tests.factories import make_procedure, make_unit
from tests.reports.helpers import at, dossier_row, insert_rows, plain, python_count

pytestmark = pytest.mark.django_db


def _holds(row) -> bool:
    return (
        row.carried_over + row.received == row.resolved + row.in_progress + row.stopped
        and row.resolved == row.resolved_early + row.resolved_on_time + row.resolved_late
    )


@pytest.fixture
def seed_001(office):
    """Bắc Từ Liêm, the first nine months of 2024 (seed 001): 55,582 dossiers received, 54,513
    resolved early or on time, 1,069 still in progress (none overdue), all submitted online."""
    procedure = make_procedure(units=[office.ward])
    rows = []
    for i in range(55_582):
        if i < 54_513:  # received 2/1–20/9, ready 1, 2 or 5 days later, due after 5 days
            received = at(2024, 1, 2, 8) + timedelta(minutes=(i * 397) % (262 * 24 * 60))
            due = received + timedelta(days=5)
            ready = received + timedelta(days=(1, 2, 5)[i % 3])
        else:  # received in the last days of September, due in October
            received = at(2024, 9, 25, 8) + timedelta(minutes=i % 3000)
            due, ready = at(2024, 10, 4, 17), None
        rows.append(
            dossier_row(
                unit=office.ward,
                procedure=procedure,
                received_at=received,
                due_at=due,
                channel="online",
                ready_at=ready,
            )
        )
    insert_rows(rows)
    return office


PERIOD_2024 = Period(date(2024, 1, 1), date(2024, 10, 1))


def test_the_seed_001_figures_reproduce_both_roundings_and_by_month(seed_001, settings):
    scope = Scope(unit_ids=frozenset({seed_001.ward.pk}))
    now = at(2024, 10, 1, 10)
    total = report(period=PERIOD_2024, scope=scope, now=now).total
    assert (total.carried_over, total.received, total.resolved) == (0, 55_582, 54_513)
    assert (total.in_progress, total.in_progress_overdue, total.stopped) == (1_069, 0, 0)
    assert total.resolved_early + total.resolved_on_time == 54_513
    assert total.resolution_rate == Decimal("98.08")
    assert total.on_time_rate == Decimal("100.00")
    assert total.online_rate == Decimal("100.00")
    assert _holds(total)

    by_month = report(period=PERIOD_2024, scope=scope, group_by="month", now=now)
    assert [r.key for r in by_month.rows] == [f"2024-{m:02d}" for m in range(1, 10)]
    assert (by_month.total.received, by_month.total.resolved) == (55_582, 54_513)
    assert by_month.total.in_progress == 1_069
    for before, after in zip(by_month.rows, by_month.rows[1:], strict=False):
        assert before.in_progress == after.carried_over
    assert all(_holds(r) for r in by_month.rows)

    settings.MOTCUA_REPORT_ROUNDING = "truncate"
    assert report(period=PERIOD_2024, now=now).total.resolution_rate == Decimal("98.07")


# ----------------------------------------------------------------- randomized: SQL vs Python
def _random_dossiers(office, rng: random.Random, n: int = 240):
    field_b, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    procedures = [
        make_procedure(units=[office.ward, office.other_ward]),
        make_procedure(units=[office.ward, office.other_ward]),
        make_procedure(units=[office.ward, office.other_ward]),
    ]
    procedures[2].field = field_b
    procedures[2].save()
    units = [office.ward, office.other_ward, make_unit(code="TP.03", parent=office.city)]
    start = at(2025, 11, 20, 0)
    span_minutes = 150 * 24 * 60  # 20/11/2025 – 19/04/2026
    rows = []
    for _i in range(n):
        received = start + timedelta(minutes=rng.randrange(span_minutes))
        kind = rng.choices(
            ["open", "ready", "not_eligible", "stopped", "submitted", "refused", "paused"],
            weights=[20, 45, 5, 8, 6, 6, 10],
        )[0]
        effective = received + timedelta(hours=rng.choice([0, 0, 0, 14, 62]))
        due = effective + timedelta(hours=rng.randrange(4, 24 * 20))
        closes = received + timedelta(hours=rng.randrange(1, 24 * 30))
        green = rng.random() < 0.2
        kwargs = {
            "unit": rng.choice(units),
            "procedure": rng.choice(procedures),
            "channel": rng.choice(["counter", "online", "postal"]),
            "received_at": received,
            "effective_received_at": effective,
            "due_at": due,
            "green_lane": green,
            "green_lane_due_at": effective + (due - effective) * 0.4 if green else None,
        }
        if kind == "ready":
            kwargs["ready_at"] = closes
            kwargs["returned"] = rng.random() < 0.5
        elif kind == "not_eligible":
            kwargs.update(ready_at=closes, outcome="not_eligible")
        elif kind == "stopped":
            kwargs["stopped_at"] = closes
        elif kind == "paused":
            kwargs["paused_at"] = received + timedelta(hours=rng.randrange(1, 24 * 25))
        elif kind in ("submitted", "refused"):
            kwargs.update(received_at=None, effective_received_at=None, due_at=None)
            kwargs["channel"] = "online"
            if kind == "refused":
                kwargs["refused_at"] = closes
            elif rng.random() < 0.5:
                kwargs["stopped_at"] = closes  # withdrawn before the desk's check
        rows.append(dossier_row(**kwargs))
    Dossier.objects.bulk_create(rows)
    return list(Dossier.objects.select_related("procedure"))


PERIODS = [
    (date(2026, 1, 1), date(2026, 2, 1)),
    (date(2025, 12, 15), date(2026, 3, 10)),
    (date(2026, 3, 1), date(2026, 6, 1)),
    (date(2025, 10, 1), date(2025, 11, 25)),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_equals_a_plain_python_count(office, seed):
    rng = random.Random(seed)
    dossiers = [plain(d) for d in _random_dossiers(office, rng)]
    units = {u.pk: u.code for u in [office.ward, office.other_ward]}
    for start, end in PERIODS:
        for now in (at(2026, 6, 30, 12), at(2026, 2, 10, 15)):
            total = report(period=Period(start, end), now=now).total
            expected = python_count(dossiers, start, end, now)
            assert {k: total.counts[k] for k in expected} == expected, (start, end, now)
            assert _holds(total)

            by_unit = {r.key: r for r in report(period=Period(start, end), now=now).rows}
            for pk, code in units.items():
                mine = [d for d in dossiers if d.unit_id == pk]
                want = python_count(mine, start, end, now)
                got = by_unit[code].counts if code in by_unit else dict.fromkeys(want, 0)
                assert {k: got[k] for k in want} == want, (code, start, end, now)

            for group_by in ("procedure", "field"):
                rows = report(period=Period(start, end), group_by=group_by, now=now).rows
                assert all(_holds(r) for r in rows)
                summed = {k: sum(r.counts[k] for r in rows) for k in expected}
                assert summed == expected

            months = report(period=Period(start, end), group_by="month", now=now)
            for row, piece in zip(months.rows, Period(start, end).months(), strict=True):
                want = python_count(dossiers, piece.start, piece.end, now)
                assert {k: row.counts[k] for k in want} == want, (row.key, now)
            assert all(_holds(r) for r in months.rows)
            month_total = {k: months.total.counts[k] for k in expected}
            assert month_total == expected


def test_a_procedure_or_field_filter_keeps_only_its_dossiers(office):
    dossiers = _random_dossiers(office, random.Random(7), n=120)
    code = dossiers[0].procedure.code
    now = at(2026, 6, 30)
    period = Period(date(2026, 1, 1), date(2026, 4, 1))
    mine = [plain(d) for d in dossiers if d.procedure.code == code]
    got = report(period=period, scope=Scope(procedure_code=code), now=now).total.counts
    want = python_count(mine, period.start, period.end, now)
    assert {k: got[k] for k in want} == want
    built = [plain(d) for d in dossiers if d.procedure.field.code == "XD"]
    got = report(period=period, scope=Scope(field_code="XD"), now=now).total.counts
    want = python_count(built, period.start, period.end, now)
    assert {k: got[k] for k in want} == want


def test_signed_apologies_of_the_period_are_counted(office):
    procedure = make_procedure(units=[office.ward])
    dossier = dossier_row(unit=office.ward, procedure=procedure, received_at=at(2026, 1, 5))
    dossier.save()
    from motcua.dossiers.models import DossierStep

    step = DossierStep.objects.create(
        dossier=dossier,
        order=1,
        name="Thẩm định",
        unit=office.ward,
        role="specialist",
        duration_working_hours=Decimal(8),
    )
    for signed_at, status in (
        (at(2026, 1, 7), "signed"),
        (None, "draft"),
        (at(2026, 2, 2), "signed"),
    ):
        Apology.objects.create(
            dossier=dossier,
            step=step,
            reason="Chậm",
            drafted_by=office.specialist,
            drafted_at=at(2026, 1, 6),
            status=status,
            signed_at=signed_at,
            signed_by=office.leader if signed_at else None,
        )
    jan = report(period=Period(date(2026, 1, 1), date(2026, 2, 1)), now=at(2026, 3, 1))
    assert jan.total.apologies == 1 and jan.rows[0].apologies == 1
    by_month = report(
        period=Period(date(2026, 1, 1), date(2026, 3, 1)), group_by="month", now=at(2026, 3, 1)
    )
    assert [r.apologies for r in by_month.rows] == [1, 1]
    feb = report(
        period=Period(date(2026, 2, 1), date(2026, 3, 1)), group_by="month", now=at(2026, 3, 1)
    )
    assert [r.apologies for r in feb.rows] == [1] and feb.total.apologies == 1


def test_figures_match_for_every_figure_name():
    assert "apologies" in FIGURES and len(set(FIGURES)) == len(FIGURES)
