"""Finding 12: `motcua demo --dossiers 300` left 3 dossiers in progress in the whole city, so
queues, boards and the gate could not be seen; README said `motcua demo` prints every unit's
staff, it printed six accounts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.demo import data
from motcua.demo.loader import load_demo_city
from motcua.demo.monday import open_work
from motcua.dossiers.models import Apology, Dossier, DossierStep, Event
from motcua.dossiers.selectors import overdue_q
from motcua.feedback.models import OPEN_STATUSES, Feedback

pytestmark = pytest.mark.django_db

#: Monday 02/03/2026, 10:00 in Hanoi.
MONDAY = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_every_receiving_unit_has_open_work_in_every_state():
    load_demo_city()
    result = open_work(now=MONDAY)
    assert not [s for s in result["skipped"] if "Error" in s], result["skipped"]
    units = set(Dossier.objects.values_list("unit_id", flat=True))
    assert len(units) >= 5
    today = timezone.localdate(MONDAY)
    signed = Apology.objects.filter(dossier=OuterRef("pk"), status="signed")
    draft = Apology.objects.filter(dossier=OuterRef("pk"), status="draft")
    missing = []
    for unit_id in units:
        mine = Dossier.objects.filter(unit_id=unit_id)
        overdue = mine.filter(overdue_q(MONDAY))
        states = {
            "in progress": mine.filter(status__in=["received", "in_progress"])
            .exclude(overdue_q(MONDAY))
            .exists(),
            "with a specialist": DossierStep.objects.filter(
                dossier__in=mine, status="active", role="specialist", assignee__isnull=False
            ).exists(),
            "result waiting for the leader": DossierStep.objects.filter(
                dossier__in=mine, status="active", role="leader"
            ).exists(),
            "due today": any(
                timezone.localdate(d) == today and d > MONDAY
                for d in mine.values_list("due_at", flat=True)
                if d is not None
            ),
            "overdue, no apology": overdue.filter(~Exists(signed), ~Exists(draft)).exists(),
            "overdue, apology signed": overdue.filter(Exists(signed)).exists(),
            "apology waiting for signature": overdue.filter(Exists(draft)).exists(),
            "awaiting supplement": mine.filter(status="awaiting_supplement").exists(),
            "ready to return": mine.filter(status="ready").exists(),
            "open complaints": Feedback.objects.filter(
                intake_unit_id=unit_id, status__in=OPEN_STATUSES
            ).count()
            >= 2,
        }
        missing += [(unit_id, s) for s, ok in states.items() if not ok]
    # a state no procedure of a unit can reach today is allowed only for "due today"
    assert [m for m in missing if m[1] != "due today"] == []
    assert len([m for m in missing if m[1] == "due today"]) <= len(units) // 4
    assert not Event.objects.filter(at__gt=MONDAY).exists()  # nothing happens in the future


def test_the_command_prints_the_staff_of_every_unit(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    usernames = {row["username"] for row in data.STAFF}
    assert len(usernames) > 6
    missing = [u for u in usernames if f" {u} " not in out]
    assert missing == []
    assert data.DEMO_PASSWORD in out
