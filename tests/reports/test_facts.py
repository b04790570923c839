"""The monthly and daily roll-ups agree with the raw tables (and with a plain Python count), and
are left aside when they are stale."""

import random
from datetime import date

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.reports.daily import daily_counts
from motcua.reports.facts import months_to_refresh, refresh_facts, report_with_facts
from motcua.reports.models import DailyFact, FactMonth, MonthlyFact
from motcua.reports.selectors import Period, Scope, grouped_counts, report
from tests.reports.helpers import at, dossier_row, plain, python_count
from tests.reports.test_selectors import _random_dossiers

pytestmark = pytest.mark.django_db

NOW = at(2026, 5, 15, 10)


def _same(a, b):
    assert [(r.key, r.counts) for r in a.rows] == [(r.key, r.counts) for r in b.rows]
    assert a.total.counts == b.total.counts


def test_rolled_up_months_give_the_raw_figures_for_every_grouping(office):
    dossiers = _random_dossiers(office, random.Random(11))
    written = refresh_facts(now=NOW)
    assert written[0] == date(2025, 11, 1) and written[-1] == date(2026, 4, 1)
    assert MonthlyFact.objects.filter(procedure__isnull=True).exists()
    periods = [
        Period(date(2026, 1, 1), date(2026, 2, 1)),
        Period(date(2025, 12, 1), date(2026, 4, 1)),
        Period(date(2026, 2, 1), date(2026, 5, 20)),  # rolled-up months, then the raw tail
    ]
    code = dossiers[0].procedure.code
    scopes = [
        Scope(),
        Scope(unit_ids=frozenset({office.ward.pk})),
        Scope(procedure_code=code),
        Scope(field_code="XD"),
    ]
    for period in periods:
        for scope in scopes:
            for group_by in ("unit", "procedure", "field", "month"):
                combined = report_with_facts(period=period, scope=scope, group_by=group_by, now=NOW)
                assert combined is not None
                raw = report(
                    period=period, scope=scope, group_by=group_by, now=NOW, use_facts=False
                )
                _same(combined, raw)


def test_a_period_by_procedure_not_starting_on_the_first_or_not_rolled_up_reads_the_raw_tables(
    office,
):
    dossiers = _random_dossiers(office, random.Random(12), n=60)
    refresh_facts(months=[date(2026, 1, 1)], now=NOW)
    mid_january = Period(date(2026, 1, 2), date(2026, 2, 1))
    # the daily rows hold whole units: by procedure or field, or for one procedure, no days
    for group_by in ("procedure", "field"):
        assert (
            report_with_facts(period=mid_january, scope=Scope(), group_by=group_by, now=NOW) is None
        )
    one = Scope(procedure_code=dossiers[0].procedure.code)
    assert report_with_facts(period=mid_january, scope=one, group_by="unit", now=NOW) is None
    # by unit or by month, the days of January answer
    for group_by in ("unit", "month"):
        combined = report_with_facts(period=mid_january, scope=Scope(), group_by=group_by, now=NOW)
        assert combined is not None
        _same(
            combined,
            report(period=mid_january, group_by=group_by, now=NOW, use_facts=False),
        )
    assert (
        report_with_facts(
            period=Period(date(2026, 2, 1), date(2026, 3, 1)),
            scope=Scope(),
            group_by="unit",
            now=NOW,
        )
        is None
    )


def test_stale_roll_ups_are_not_used_and_the_nightly_choice_catches_up(office):
    dossiers = _random_dossiers(office, random.Random(13), n=80)
    refresh_facts(now=NOW)
    late = dossier_row(
        unit=office.ward,
        procedure=dossiers[0].procedure,
        received_at=at(2026, 1, 10),  # a paper dossier of January entered in May
    )
    late.save()
    period = Period(date(2026, 1, 1), date(2026, 5, 1))
    raw = report(period=period, now=NOW, use_facts=False)
    # January's roll-up misses it: the raw tables answer until the roll-up is refreshed
    assert report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW) is None
    _same(report(period=period, now=NOW), raw)
    FactMonth.objects.filter(month=date(2026, 1, 1)).delete()
    assert date(2026, 1, 1) in months_to_refresh(NOW)
    # a change the watermark cannot see is caught where the roll-up meets the raw tail
    refreshed = at(2026, 5, 2)
    refresh_facts(months=[date(2026, 1, 1)], now=refreshed)
    Dossier.objects.filter(pk=late.pk).update(effective_received_at=at(2026, 4, 20))
    raw = report(period=period, now=NOW, use_facts=False)
    assert (
        report_with_facts(
            period=Period(date(2026, 1, 1), date(2026, 5, 1)),
            scope=Scope(),
            group_by="unit",
            now=NOW,
        )
        is None
    )  # Feb–Apr are not rolled up since: January meets a raw tail that disagrees
    refresh_facts(
        months=[date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)], now=NOW
    )
    combined = report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW)
    assert combined is not None
    _same(combined, raw)


def test_the_nightly_choice_is_the_unrolled_and_the_last_two_months(office):
    Dossier.objects.all().delete()
    _random_dossiers(office, random.Random(14), n=30)
    refresh_facts(now=NOW)
    assert months_to_refresh(NOW) == [date(2026, 3, 1), date(2026, 4, 1)]


def test_the_command_and_the_nightly_task_roll_up(office):
    from django.core.management import CommandError, call_command

    from motcua.reports.tasks import refresh_facts_task

    _random_dossiers(office, random.Random(15), n=20)
    call_command("refresh_reports", "--month", "2026-01")
    assert list(FactMonth.objects.values_list("month", flat=True)) == [date(2026, 1, 1)]
    with pytest.raises(CommandError):
        call_command("refresh_reports", "--month", "janvier")
    call_command("refresh_reports", "--all")
    assert FactMonth.objects.count() >= 5
    refresh_facts_task.call_local()


# ------------------------------------------------------------------------- the daily roll-ups
ANY_PERIODS = [
    Period(date(2025, 12, 5), date(2025, 12, 22)),  # 17 days inside one month
    Period(date(2025, 12, 15), date(2026, 3, 10)),  # days, whole months, days
    Period(date(2026, 1, 1), date(2026, 1, 20)),  # from a first, ending inside the month
    Period(date(2026, 2, 10), date(2026, 3, 1)),  # from inside a month to its end
    Period(date(2026, 3, 20), date(2026, 5, 20)),  # days, a whole month, then the raw tail
    Period(date(2025, 11, 30), date(2025, 12, 1)),  # one day
]


@pytest.mark.parametrize("seed", [21, 22])
def test_any_period_from_the_roll_ups_equals_a_plain_python_count(office, seed):
    dossiers = _random_dossiers(office, random.Random(seed))
    refresh_facts(now=NOW)
    assert DailyFact.objects.exists()
    assert all(FactMonth.objects.values_list("days", flat=True))
    plain_dossiers = [plain(d) for d in dossiers]
    units = {office.ward.pk: office.ward.code, office.other_ward.pk: office.other_ward.code}
    for period in ANY_PERIODS:
        combined = report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW)
        assert combined is not None, period
        raw = report(period=period, group_by="unit", now=NOW, use_facts=False)
        _same(combined, raw)
        expected = python_count(plain_dossiers, period.start, period.end, NOW)
        assert {k: combined.total.counts[k] for k in expected} == expected, period
        by_unit = {r.key: r.counts for r in combined.rows}
        for pk, code in units.items():
            want = python_count(
                [d for d in plain_dossiers if d.unit_id == pk], period.start, period.end, NOW
            )
            got = by_unit.get(code, dict.fromkeys(want, 0))
            assert {k: got[k] for k in want} == want, (code, period)
        # one unit's scope, and month by month
        ward = Scope(unit_ids=frozenset({office.ward.pk}))
        one = report_with_facts(period=period, scope=ward, group_by="unit", now=NOW)
        assert one is not None
        _same(one, report(period=period, scope=ward, group_by="unit", now=NOW, use_facts=False))
        by_month = report_with_facts(period=period, scope=Scope(), group_by="month", now=NOW)
        assert by_month is not None
        _same(by_month, report(period=period, group_by="month", now=NOW, use_facts=False))


def test_each_daily_row_is_the_raw_report_of_its_day(office):
    _random_dossiers(office, random.Random(23), n=120)
    refresh_facts(months=[date(2026, 1, 1)], now=NOW)
    rows = {(f.day, f.unit_id): f for f in DailyFact.objects.all()}
    assert rows and {day for day, _unit in rows} <= {date(2026, 1, d) for d in range(1, 32)}
    for d in (1, 2, 10, 17, 31):
        day = date(2026, 1, d)
        raw = grouped_counts(
            period=Period(day, date(2026, 1, d + 1) if d < 31 else date(2026, 2, 1)),
            scope=Scope(),
            keys=("unit_id",),
            now=NOW,
        )
        for (unit_id,), counts in raw.items():
            fact = rows.get((day, unit_id))
            got = {k: getattr(fact, k) for k in counts} if fact else dict.fromkeys(counts, 0)
            assert got == counts, (day, unit_id)
        assert {u for (dd, u) in rows if dd == day} <= {k[0] for k in raw}


def test_daily_counts_refuse_a_day_not_over():
    with pytest.raises(ValueError):
        daily_counts(
            period=Period(date(2026, 5, 1), date(2026, 6, 1)), scope=Scope(), keys=(), now=NOW
        )


def test_refreshing_twice_gives_the_same_rows(office):
    _random_dossiers(office, random.Random(24), n=80)

    def snapshot():
        days = sorted(
            DailyFact.objects.values_list(
                "day", "unit_id", "carried_over", "received", "resolved", "in_progress"
            )
        )
        months = sorted(
            MonthlyFact.objects.values_list("month", "unit_id", "procedure_id", "in_progress"),
            key=lambda row: (row[0], row[1], row[2] or 0),
        )
        return days, months

    refresh_facts(now=NOW)
    first = snapshot()
    refresh_facts(now=NOW)  # the nightly task run twice (e.g. by two workers, one after another)
    refresh_facts(months=[date(2026, 2, 1)], now=NOW)
    assert snapshot() == first


def test_a_month_rolled_up_before_the_daily_rows_is_rolled_up_again(office):
    _random_dossiers(office, random.Random(25), n=30)
    refresh_facts(now=NOW)
    FactMonth.objects.filter(month=date(2025, 12, 1)).update(days=False)
    DailyFact.objects.filter(day__lt=date(2026, 1, 1), day__gte=date(2025, 12, 1)).delete()
    assert date(2025, 12, 1) in months_to_refresh(NOW)
    period = Period(date(2025, 12, 5), date(2025, 12, 22))
    # without its days, the month does not answer a period inside it
    assert report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW) is None
    refresh_facts(now=NOW)
    combined = report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW)
    assert combined is not None
    _same(combined, report(period=period, now=NOW, use_facts=False))


def test_a_dossier_entered_late_into_a_rolled_up_day_is_not_missed(office):
    dossiers = _random_dossiers(office, random.Random(26), n=60)
    refresh_facts(now=NOW)
    period = Period(date(2026, 1, 5), date(2026, 1, 22))
    late = dossier_row(
        unit=office.ward, procedure=dossiers[0].procedure, received_at=at(2026, 1, 9)
    )
    late.save()
    assert report_with_facts(period=period, scope=Scope(), group_by="unit", now=NOW) is None
    assert (
        report(period=period, now=NOW).total.counts
        == report(period=period, now=NOW, use_facts=False).total.counts
    )


def _daily_figures():
    return sorted(
        DailyFact.objects.values_list(
            "day", "unit_id", "carried_over", "received", "resolved", "in_progress", "stopped"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_leave_the_same_daily_rows(office):
    import threading

    from django.db import connection

    _random_dossiers(office, random.Random(27), n=60)
    months = [date(2025, 12, 1), date(2026, 1, 1)]
    refresh_facts(months=months, now=NOW)
    once = _daily_figures()
    assert once
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def run():
        try:
            barrier.wait()
            refresh_facts(months=months, now=NOW)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert _daily_figures() == once


def _planner_rows(table):
    """What the database's planner knows of ``table`` from its last ANALYZE (0: nothing)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return max(cursor.fetchone()[0], 0)
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def test_a_refresh_leaves_statistics_for_the_planner_of_the_next_report(office):
    _random_dossiers(office, random.Random(31), n=60)
    refresh_facts(now=NOW)
    for model in (DailyFact, MonthlyFact):
        assert _planner_rows(model._meta.db_table) > 0, model
