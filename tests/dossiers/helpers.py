"""Shared helpers of the dossier tests: pinned times in Asia/Ho_Chi_Minh and a reception."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.catalog.models import Field
from motcua.catalog.services import DocumentSpec, ProcedureSpec, StepSpec, create_procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ApplicantData,
    Created,
    draft_apology,
    receive_dossier,
    sign_apology,
    submit_online,
)
from tests.factories import papers, with_files

VN = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = ApplicantData(
    name="Nguyễn Văn An",
    id_number="001099012345",
    phone="0912345678",
    email="an@example.vn",
    address="12 Hàng Bạc, Hoàn Kiếm",
)


def at(day: int, hour: int, minute: int = 0, *, month: int = 1, year: int = 2026) -> datetime:
    """A local time; January 2026 unless told (Mon 19/01/2026 is an ordinary working Monday)."""
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def procedure_with(
    *, units, steps, code: str, legal_working_days="3", field=("HT", "Hộ tịch"), **kwargs
):
    """A procedure whose steps are (name, role, hours) triples; its papers ``documents`` (one
    mandatory "Tờ khai" unless told); ``field`` (code, name)."""
    field, _ = Field.objects.get_or_create(code=field[0], defaults={"name": field[1]})
    durations = [Decimal(h) for _, _, h in steps]
    return create_procedure(
        spec=ProcedureSpec(
            code=code,
            name=kwargs.pop("name", f"Thủ tục {code}"),
            field=field,
            legal_working_days=Decimal(legal_working_days),
            target_working_hours=sum(durations, Decimal(0)),
            steps=[
                StepSpec(name=n, role=r, duration_working_hours=Decimal(h)) for n, r, h in steps
            ],
            documents=kwargs.pop("documents", [DocumentSpec(name="Tờ khai")]),
            units=units,
            **kwargs,
        ),
        actor=None,
    )


def receive(office, procedure, *, now=None, **kwargs) -> Created:
    kwargs.setdefault("documents", papers(procedure))
    return receive_dossier(
        actor=kwargs.pop("actor", office.receptionist),
        procedure_code=procedure.code,
        unit_code=kwargs.pop("unit_code", office.ward.code),
        applicant=kwargs.pop("applicant", APPLICANT),
        now=now or at(19, 9),
        **kwargs,
    )


def on_paper(office, procedure, *, received_at, now, reason: str) -> Dossier:
    """A dossier received on paper at ``received_at`` while the system was down, entered at
    ``now`` with ``reason``."""
    return receive(
        office, procedure, now=now, received_at=received_at, received_at_reason=reason
    ).dossier


def submit(office, procedure, *, now=None, **kwargs) -> Created:
    """An online submission to the office's ward (status submitted), at 08:00 on 19/01 unless
    told."""
    kwargs.setdefault("documents", papers(procedure))
    created = submit_online(
        procedure_code=procedure.code,
        unit_code=kwargs.pop("unit_code", office.ward.code),
        applicant=kwargs.pop("applicant", APPLICANT),
        now=now or at(19, 8),
        **kwargs,
    )
    with_files(created.dossier)  # the portal stores a file for each paper
    return created


def extended(dossier, *, by, leader, until: datetime, now: datetime, reason: str = "Chờ xác minh"):
    """An apology drafted by ``by`` proposing the appointment ``until``, signed by ``leader``
    at ``now``: the dossier's one extension."""
    apology = draft_apology(
        dossier_id=dossier.pk, actor=by, reason=reason, new_due_at=until, now=now
    )
    return sign_apology(apology_id=apology.pk, actor=leader, now=now)
