"""Procedures the portal tests use (the browser tests too): plain functions, no fixtures."""

from __future__ import annotations

from decimal import Decimal

from motcua.catalog.models import Field
from motcua.catalog.services import DocumentSpec, ProcedureSpec, StepSpec, create_procedure
from motcua.dossiers.services import ApplicantData

APPLICANT = ApplicantData(
    name="Nguyễn Văn An",
    id_number="001099012345",
    phone="0912345678",
    email="an.nguyen@example.vn",
    address="12 Hàng Bạc, Hoàn Kiếm",
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _field(code: str, name: str) -> Field:
    return Field.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_birth(office):
    """Đăng ký khai sinh: online (full), two papers, free, offered by the ward."""
    return create_procedure(
        spec=ProcedureSpec(
            code="1.001193",
            name="Đăng ký khai sinh",
            field=_field("HT", "Hộ tịch"),
            legal_working_days=Decimal(1),
            target_working_hours=Decimal(8),
            steps=[
                StepSpec(
                    name="Tiếp nhận, chuyển hồ sơ",
                    role="receptionist",
                    duration_working_hours=Decimal(2),
                ),
                StepSpec(name="Thẩm định", role="specialist", duration_working_hours=Decimal(4)),
                StepSpec(name="Ký duyệt", role="leader", duration_working_hours=Decimal(2)),
                StepSpec(
                    name="Trả kết quả", role="receptionist", duration_working_hours=Decimal(0)
                ),
            ],
            documents=[
                DocumentSpec(name="Tờ khai đăng ký khai sinh"),
                DocumentSpec(name="Giấy chứng sinh", form="copy"),
                DocumentSpec(name="Giấy tờ chứng minh nơi cư trú", mandatory=False),
            ],
            units=[office.ward],
            online_mode="full",
            legal_basis="Luật Hộ tịch số 60/2014/QH13.\nNghị định 123/2015/NĐ-CP.",
            result_name="Giấy khai sinh",
        ),
        actor=None,
    )


def make_building(office):
    """Cấp giấy phép xây dựng: walk-in only, a fee, green lane (investment)."""
    return create_procedure(
        spec=ProcedureSpec(
            code="1.009794",
            name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field=_field("XD", "Xây dựng"),
            legal_working_days=Decimal(15),
            target_working_hours=Decimal(120),
            steps=[
                StepSpec(name="Tiếp nhận", role="receptionist", duration_working_hours=Decimal(8)),
                StepSpec(name="Thẩm định", role="specialist", duration_working_hours=Decimal(104)),
                StepSpec(name="Ký duyệt", role="leader", duration_working_hours=Decimal(8)),
            ],
            documents=[DocumentSpec(name="Đơn đề nghị cấp giấy phép xây dựng")],
            units=[office.ward, office.other_ward],
            online_mode="none",
            fee=75000,
            green_lane_group="investment",
        ),
        actor=None,
    )


def finish(office, dossier_id):
    """Complete every counted step (receptionist, specialist, leader): the result is ready."""
    from motcua.dossiers.models import DossierStep
    from motcua.dossiers.services import complete_step

    actors = {"receptionist": office.receptionist, "specialist": office.specialist}
    actors["leader"] = office.leader
    for step in DossierStep.objects.filter(dossier_id=dossier_id, counted=True).order_by("order"):
        complete_step(step_id=step.pk, actor=actors[step.role])
