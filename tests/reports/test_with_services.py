"""The report over dossiers made by the real services (motcua.dossiers.services)."""

from datetime import date

import pytest

from motcua.dossiers.services import (
    accept_dossier,
    complete_step,
    refuse_dossier,
    stop_dossier,
)
from motcua.reports.facts import refresh_facts
from motcua.reports.selectors import Period, Scope, report
from tests.dossiers.helpers import at, procedure_with, receive, submit

pytestmark = pytest.mark.django_db


def _finish(office, dossier):
    for order, actor, hour in (
        (1, office.receptionist, 10),
        (2, office.specialist, 14),
        (3, office.leader, 16),
    ):
        step = dossier.steps.get(order=order)
        complete_step(step_id=step.pk, actor=actor, now=at(19, hour))


def test_what_the_services_do_is_what_the_report_counts(office):
    procedure = procedure_with(
        units=[office.ward],
        code="9.800001",
        online_mode="full",
        steps=[
            ("Tiếp nhận", "receptionist", "2"),
            ("Thẩm định", "specialist", "4"),
            ("Ký duyệt", "leader", "2"),
            ("Trả kết quả", "receptionist", "0"),
        ],
    )
    resolved = receive(office, procedure, now=at(19, 9)).dossier
    _finish(office, resolved)
    stopped = receive(office, procedure, now=at(19, 10)).dossier
    stop_dossier(dossier_id=stopped.pk, actor=office.receptionist, reason="Rút", now=at(21, 9))
    receive(office, procedure, now=at(19, 11), channel="postal")  # still in progress
    waiting = submit(office, procedure).dossier  # never accepted: not received
    refused = submit(office, procedure).dossier
    refuse_dossier(dossier_id=refused.pk, actor=office.receptionist, reason="Sai", now=at(19, 9))
    accepted = submit(office, procedure).dossier
    accept_dossier(dossier_id=accepted.pk, actor=office.receptionist, now=at(19, 14))
    assert waiting.status == "submitted"

    now = at(30, 12)
    january = Period(date(2026, 1, 1), date(2026, 2, 1))
    total = report(period=january, scope=Scope(unit_ids=frozenset({office.ward.pk})), now=now).total
    assert (total.received, total.received_online, total.received_postal) == (4, 1, 1)
    assert (total.resolved, total.resolved_early, total.stopped) == (1, 1, 1)
    # received 19/01, 3 working days: due 22/01 17:00 — both open ones are overdue by the 30th
    assert (total.in_progress, total.in_progress_overdue) == (2, 2)
    assert total.resolution_rate is not None and str(total.resolution_rate) == "25.00"

    # the roll-up of a finished January says the same
    refresh_facts(months=[date(2026, 1, 1)], now=at(3, 9, month=2))
    again = report(period=january, now=at(3, 9, month=2)).total
    assert (
        again.counts == report(period=january, now=at(3, 9, month=2), use_facts=False).total.counts
    )
