"""Units, procedures and the caller's own roles (API.md, Catalog and organisation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field as PydanticField

from motcua.api.problems import Problem, not_found
from motcua.api.schemas import Paging
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force, list_procedures
from motcua.org.models import Unit
from motcua.org.requests import actor_of
from motcua.org.selectors import list_memberships
from motcua.payments.selectors import schedule_of

router = Router(tags=["catalog"])


class ProcedureFilters(Schema):
    unit: str | None = PydanticField(None, max_length=40, description="unit code")
    field: str | None = PydanticField(None, max_length=20, description="field code")
    q: str | None = PydanticField(None, max_length=200, description="words of the name or code")


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None


class RequiredDocumentOut(Schema):
    name: str
    mandatory: bool
    copies: int
    form: str


class ProcedureStepOut(Schema):
    order: int
    name: str
    role: str
    unit: str | None
    unit_kind: str | None
    duration_working_hours: Decimal


class FeeOut(Schema):
    name: str
    kind: Literal["fee", "charge"]
    amount: int = PydanticField(description="đồng")
    legal_basis: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    field_name: str
    processing_working_days: Decimal | None
    processing_working_hours: Decimal
    target_working_hours: Decimal
    green_lane_working_hours: Decimal
    green_lane_group: str | None
    online_mode: str
    fee: int
    fee_note: str
    fees: list[FeeOut] = PydanticField(
        description="the fees (phí) and charges (lệ phí) of this version, before any exemption"
    )
    legal_basis: str
    result_name: str
    effective_from: str
    units: list[str]
    required_documents: list[RequiredDocumentOut]
    steps: list[ProcedureStepOut]


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureOut]


class MembershipOut(Schema):
    unit: str
    unit_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


def procedure_out(p: Procedure) -> ProcedureOut:
    return ProcedureOut(
        code=p.code,
        name=p.name,
        field=p.field.code,
        field_name=p.field.name,
        processing_working_days=p.legal_working_days,
        processing_working_hours=p.legal_hours,
        target_working_hours=p.target_working_hours,
        green_lane_working_hours=p.green_lane_hours,
        green_lane_group=p.green_lane_group or None,
        online_mode=p.online_mode,
        fee=p.fee,
        fee_note=p.fee_note,
        fees=[
            FeeOut(name=f.name, kind=f.kind, amount=f.amount, legal_basis=f.legal_basis)  # type: ignore[arg-type]
            for f in schedule_of(p)
        ],
        legal_basis=p.legal_basis,
        result_name=p.result_name,
        effective_from=p.effective_from.isoformat(),
        units=sorted(u.code for u in p.units.all()),
        required_documents=[
            RequiredDocumentOut(name=d.name, mandatory=d.mandatory, copies=d.copies, form=d.form)
            for d in p.documents.all()
        ],
        steps=[
            ProcedureStepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                unit=s.responsible_unit.code if s.responsible_unit else None,
                unit_kind=s.responsible_unit_kind or None,
                duration_working_hours=s.duration_working_hours,
            )
            for s in p.steps.all()
        ],
    )


@router.get("/units", response={200: UnitPage, 422: Problem}, auth=None)
def units(request: HttpRequest, paging: Query[Paging], include_retired: bool = False) -> UnitPage:
    qs = Unit.objects.select_related("parent").order_by("code")
    if not include_retired:
        qs = qs.filter(active=True)
    count = qs.count()
    items = [
        UnitOut(code=u.code, name=u.name, kind=u.kind, parent=u.parent.code if u.parent else None)
        for u in qs[paging.offset : paging.offset + paging.limit]
    ]
    return UnitPage(count=count, items=items)


@router.get("/procedures", response={200: ProcedurePage, 422: Problem}, auth=None)
def procedures(
    request: HttpRequest, paging: Query[Paging], filters: Query[ProcedureFilters]
) -> ProcedurePage:
    unit_obj = None
    if filters.unit:
        unit_obj = Unit.objects.filter(code=filters.unit).first()
        if unit_obj is None:
            return ProcedurePage(count=0, items=[])
    qs = list_procedures(unit=unit_obj, field_code=filters.field, q=filters.q).prefetch_related(
        "fee_items"
    )
    count = qs.count()
    page = qs[paging.offset : paging.offset + paging.limit]
    return ProcedurePage(count=count, items=[procedure_out(p) for p in page])


@router.get("/procedures/{code}", response={200: ProcedureOut, 404: Problem}, auth=None)
def procedure(request: HttpRequest, code: str) -> object:
    found = get_procedure_in_force(code)
    if found is None:
        return not_found(detail=f"Không có thủ tục mã {code} đang áp dụng.")
    return procedure_out(found)


@router.get("/me", response={200: MeOut, 401: Problem})
def me(request: HttpRequest) -> MeOut:
    staff = actor_of(request)
    return MeOut(
        username=staff.username,
        full_name=staff.full_name,
        memberships=[
            MembershipOut(unit=m.unit.code, unit_name=m.unit.name, role=m.role)
            for m in list_memberships(staff)
        ],
    )
