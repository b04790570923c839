"""The demo ward's counter floor: a service group per field of the procedures it serves (letters
A, B, C…), three counters serving every group, and the priority list of the one-stop rules, so
that the kiosk, the call display and online booking work out of the box (`make run`)."""

from __future__ import annotations

from string import ascii_uppercase

from motcua.catalog.models import Field
from motcua.org.models import Unit
from motcua.queueing.models import Counter, PriorityCategory, ServiceGroup

COUNTERS = 3
PRIORITIES = [
    ("disability", "Người khuyết tật"),
    ("elderly", "Người cao tuổi"),
    ("pregnancy", "Phụ nữ mang thai, người có con nhỏ"),
    ("merit", "Người có công với cách mạng"),
]


def load_demo_floor(unit: Unit) -> int:
    """Create what is missing of the ward's floor; the number of rows made (0 when present)."""
    if ServiceGroup.objects.filter(unit=unit).exists():
        return 0
    made = 0
    fields = Field.objects.filter(procedures__units=unit).distinct().order_by("code")
    groups = []
    for i, found in enumerate(fields[: len(ascii_uppercase)]):
        group = ServiceGroup.objects.create(
            unit=unit,
            code=f"nhom-{i + 1}",
            name=found.name[:200],
            letter=ascii_uppercase[i],
            order=i,
        )
        group.fields.add(found)
        groups.append(group)
        made += 1
    for number in range(1, COUNTERS + 1):
        counter = Counter.objects.create(unit=unit, number=number)
        counter.groups.add(*groups)
        made += 1
    for order, (code, name) in enumerate(PRIORITIES):
        PriorityCategory.objects.create(unit=unit, code=code, name=name, order=order)
        made += 1
    return made
