"""A unit's floor for the queueing tests: two groups (A: civil status, B: land), two counters,
the priority list, a second one-stop officer; times in March and April 2026 (Hanoi)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import Procedure
from motcua.org.models import Staff, Unit
from motcua.queueing.models import Counter, PriorityCategory, ServiceGroup
from tests.factories import make_procedure, make_staff

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, *, month: int = 3, second: int = 0) -> datetime:
    """A local instant of 2026 (Tue 10/03/2026 is a working day; 30/04 and 01/05 are holidays)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=VN)


@dataclass
class Floor:
    unit: Unit
    a: ServiceGroup
    b: ServiceGroup
    counter1: Counter
    counter2: Counter
    elderly: PriorityCategory
    disability: PriorityCategory
    procedure: Procedure
    officer: Staff
    officer2: Staff


def make_floor(office, *, capacity: int = 2) -> Floor:
    unit = office.ward
    procedure = make_procedure(units=[unit], name="Đăng ký khai sinh tại quầy")
    a = ServiceGroup.objects.create(
        unit=unit, code="ho-tich", name="Hộ tịch", letter="A", order=1, slot_capacity=capacity
    )
    a.procedures.add(procedure)
    b = ServiceGroup.objects.create(unit=unit, code="dat-dai", name="Đất đai", letter="B", order=2)
    counter1 = Counter.objects.create(unit=unit, number=1)
    counter1.groups.add(a, b)
    counter2 = Counter.objects.create(unit=unit, number=2)
    counter2.groups.add(a)
    elderly = PriorityCategory.objects.create(unit=unit, code="elderly", name="Người cao tuổi")
    disability = PriorityCategory.objects.create(
        unit=unit, code="disability", name="Người khuyết tật", order=1
    )
    officer2 = make_staff(
        username="tiepnhan2", full_name="Phạm Thị Quầy", roles=[(unit, "receptionist")]
    )
    return Floor(
        unit=unit,
        a=a,
        b=b,
        counter1=counter1,
        counter2=counter2,
        elderly=elderly,
        disability=disability,
        procedure=procedure,
        officer=office.receptionist,
        officer2=officer2,
    )


@pytest.fixture
def floor(office) -> Floor:
    return make_floor(office)
