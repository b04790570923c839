"""Loads the demo city (motcua/demo/data.py) through the real services. Idempotent: a second
load finds everything in place and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction

from motcua.catalog.models import Field, Procedure
from motcua.catalog.services import DocumentSpec, ProcedureSpec, StepSpec, create_procedure
from motcua.core.progress import progress
from motcua.demo import data
from motcua.demo.floor import load_demo_floor
from motcua.org import services as org_services
from motcua.org.models import FocalPoint, Membership, Role, Staff, Unit

CATALOG_VERSION_FROM = date(2025, 7, 1)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _load_units(report: LoadReport) -> dict[str, Unit]:
    units = {u.code: u for u in Unit.objects.all()}
    for row in data.UNITS:
        if row["code"] in units:
            continue
        parent = units[row["parent"]] if row.get("parent") else None
        if row.get("active", True):
            unit = org_services.create_unit(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                parent=parent,
                address=row.get("address", ""),
                actor=None,
            )
        else:  # a unit that no longer exists keeps its place in the tree, retired
            unit = Unit.objects.create(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                parent=parent,
                address=row.get("address", ""),
                active=False,
                retired_on=date.fromisoformat(row["retired_on"]),
            )
        units[unit.code] = unit
        report.add("units")
    return units


def _load_staff(report: LoadReport, units: dict[str, Unit], stream: TextIO | None) -> None:
    existing = set(Staff.objects.values_list("username", flat=True))
    hashed = make_password(data.DEMO_PASSWORD)  # hashed once: loading stays fast
    if "admin" not in existing:
        Staff.objects.create(
            username="admin",
            full_name="Quản trị hệ thống",
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        report.add("staff")
    held = set(Membership.objects.values_list("staff__username", "unit__code", "role"))
    for row in progress(data.STAFF, total=len(data.STAFF), label="Cán bộ", stream=stream):
        if row["username"] not in existing:
            Staff.objects.create(
                username=row["username"],
                full_name=row["full_name"],
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                password=hashed,
                is_staff=False,
            )
            report.add("staff")
        staff: Staff | None = None
        for unit_code, role in row["memberships"]:
            if (row["username"], unit_code, role) in held:
                continue
            staff = staff or Staff.objects.get(username=row["username"])
            org_services.grant_role(staff=staff, unit=units[unit_code], role=role, actor=None)
            report.add("memberships")


def _load_focal_points(report: LoadReport, units: dict[str, Unit]) -> None:
    existing = set(FocalPoint.objects.values_list("unit__code", "title", "person"))
    for row in data.FOCAL_POINTS:
        key = (row["unit"], row["title"], row.get("person", ""))
        if key in existing:
            continue
        FocalPoint.objects.create(
            unit=units[row["unit"]],
            order=row.get("order", 0),
            title=row["title"],
            person=row.get("person", ""),
            phone=row.get("phone", ""),
            email=row.get("email", ""),
            zalo=row.get("zalo", ""),
            viber=row.get("viber", ""),
            hours=row.get("hours", ""),
        )
        report.add("focal_points")


def _offering_units(row: dict[str, Any], units: dict[str, Unit]) -> list[Unit]:
    chosen: list[Unit] = []
    for key in row["offered_by"]:
        if key in units:
            chosen.append(units[key])
        else:
            chosen.extend(u for u in units.values() if u.kind == key and u.active)
    return chosen


def _load_catalog(report: LoadReport, units: dict[str, Unit], stream: TextIO | None) -> None:
    fields = {f.code: f for f in Field.objects.all()}
    for row in data.FIELDS:
        if row["code"] not in fields:
            fields[row["code"]] = Field.objects.create(code=row["code"], name=row["name"])
            report.add("fields")
    present = set(Procedure.objects.values_list("code", flat=True))
    rows = data.PROCEDURES
    for row in progress(rows, total=len(rows), label="Thủ tục", stream=stream):
        if row["code"] in present:
            continue
        cutoff = row.get("cutoff_time")
        spec = ProcedureSpec(
            code=row["code"],
            name=row["name"],
            field=fields[row["field"]],
            effective_from=CATALOG_VERSION_FROM,
            legal_working_days=row.get("legal_working_days"),
            legal_working_hours=row.get("legal_working_hours"),
            target_working_hours=row["target_working_hours"],
            deadline_mode=row.get("deadline_mode", "day"),
            cutoff_time=time.fromisoformat(cutoff) if cutoff else None,
            supplement_policy=row.get("supplement_policy", "pause"),
            green_lane_group=row.get("green_lane_group") or "",
            green_lane_working_hours=row.get("green_lane_working_hours"),
            online_mode=row.get("online_mode", "none"),
            fee=row.get("fee", 0),
            fee_note=row.get("fee_note", ""),
            legal_basis=row.get("legal_basis", ""),
            result_name=row.get("result_name", ""),
            units=_offering_units(row, units),
            documents=[
                DocumentSpec(
                    name=d["name"],
                    form=d.get("form", "original"),
                    copies=d.get("copies", 1),
                    mandatory=d.get("mandatory", True),
                )
                for d in row["documents"]
            ],
            steps=[
                StepSpec(
                    name=s["name"],
                    role=s["role"],
                    duration_working_hours=s["hours"],
                    responsible_unit=units[s["unit"]] if s.get("unit") else None,
                    responsible_unit_kind=s.get("unit_kind") or "",
                )
                for s in row["steps"]
            ],
        )
        create_procedure(spec=spec, actor=None)
        report.add("procedures")


@transaction.atomic
def load_demo_city(*, stream: TextIO | None = None) -> LoadReport:
    report = LoadReport()
    units = _load_units(report)
    _load_staff(report, units, stream)
    _load_focal_points(report, units)
    _load_catalog(report, units, stream)
    if data.DEMO_WARD in units and (made := load_demo_floor(units[data.DEMO_WARD])):
        report.add("floor rows", made)
    return report


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, full name, what they do) for the README and the start-up banner."""
    ward = data.DEMO_WARD
    named = {"tiepnhan", "chuyenvien", "truongphong", "lanhdao", "giamsat"}
    rows = [("admin", "Quản trị hệ thống", "quản trị (/admin/)")]
    for row in data.STAFF:
        if row["username"] in named:
            roles = ", ".join(
                str(Role(r).label)
                for r in sorted({r for code, r in row["memberships"] if code == ward})
            )
            rows.append((row["username"], row["full_name"], roles))
    return rows


def unit_accounts() -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """Every demo unit with its staff: (unit code, unit name, [(username, full name, roles)]),
    in the order of the units — what `motcua demo` prints after the named accounts."""
    by_unit: dict[str, list[tuple[str, str, str]]] = {}
    for row in data.STAFF:
        roles: dict[str, list[str]] = {}
        for code, role in row["memberships"]:
            roles.setdefault(code, []).append(str(Role(role).label))
        for code, labels in roles.items():
            by_unit.setdefault(code, []).append(
                (row["username"], row["full_name"], ", ".join(labels))
            )
    return [(u["code"], u["name"], by_unit[u["code"]]) for u in data.UNITS if u["code"] in by_unit]
