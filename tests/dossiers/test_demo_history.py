"""`motcua demo --dossiers N`: a year of history made through the real services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.demo.dossiers import generate_history
from motcua.demo.loader import load_demo_city
from motcua.dossiers.models import Apology, Dossier, DossierStep, Event

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_a_year_of_history_has_every_kind_of_dossier():
    load_demo_city()
    report = generate_history(60, now=NOW, seed=7)
    assert not report.skipped
    assert sum(report.statuses.values()) == Dossier.objects.count() == 60
    assert report.statuses["returned"] > 0 and report.apologies > 0
    assert set(report.timeliness) <= {"early", "on_time", "late"}
    assert report.timeliness["early"] > 0
    assert Dossier.objects.filter(green_lane=True).count() == report.green_lane
    assert not Event.objects.filter(at__gt=NOW).exists()  # nothing happens in the future
    assert (
        Dossier.objects.filter(received_at__lt=datetime(2025, 3, 1, tzinfo=NOW.tzinfo)).count() == 0
    )
    # the gate held: every late counted step carries an apology signed for it
    for step in DossierStep.objects.filter(timeliness="late"):
        assert Apology.objects.filter(step=step, status="signed").exists(), step
    assert Event.objects.filter(dossier__isnull=True).count() == 0


def test_the_command_makes_the_history_with_a_progress_bar(capsys):
    call_command("demo", "--dossiers", "3", verbosity=1)
    captured = capsys.readouterr()
    assert "Demo dossiers: 3 hồ sơ" in captured.out
    assert "Hồ sơ [" in captured.err
    # and the open work of the day at every unit (issue 19, finding 12: tests/ux/test_demo_monday.py)
    assert "Open work of the day: " in captured.out
    assert Dossier.objects.count() > 3
