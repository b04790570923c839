"""The monthly roll-ups agree with the raw tables, and are left aside when they are stale."""

import random
from datetime import date

import pytest

from motcua.dossiers.models import Dossier
from motcua.reports.facts import months_to_refresh, refresh_facts, report_with_facts
from motcua.reports.models import FactMonth, MonthlyFact
from motcua.reports.selectors import Period, Scope, report
from tests.reports.helpers import at, dossier_row
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


def test_a_period_not_starting_on_the_first_or_not_rolled_up_reads_the_raw_tables(office):
    _random_dossiers(office, random.Random(12), n=60)
    refresh_facts(months=[date(2026, 1, 1)], now=NOW)
    assert (
        report_with_facts(
            period=Period(date(2026, 1, 2), date(2026, 2, 1)),
            scope=Scope(),
            group_by="unit",
            now=NOW,
        )
        is None
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
