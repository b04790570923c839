"""Procedures the portal tests use (the browser tests too): plain functions, no fixtures."""

from __future__ import annotations

from dataclasses import replace

from motcua.catalog.services import DocumentSpec
from motcua.org.models import FocalPoint
from tests.dossiers.helpers import APPLICANT as ANY_APPLICANT
from tests.dossiers.helpers import procedure_with

APPLICANT = replace(ANY_APPLICANT, email="an.nguyen@example.vn")

#: A real one-page PDF (the documents app reads PDFs: a broken one is refused), as pypdf writes it.
PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n"
    b"/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"
    b"4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 100 100 ]\n/Parent 2 0 R\n>>\n"
    b"endobj\nxref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n"
    b"0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\n"
    b"startxref\n256\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def make_birth(office):
    """Đăng ký khai sinh: online (full), two papers, free, offered by the ward."""
    return procedure_with(
        code="1.001193",
        name="Đăng ký khai sinh",
        legal_working_days="1",
        steps=[
            ("Tiếp nhận, chuyển hồ sơ", "receptionist", "2"),
            ("Thẩm định", "specialist", "4"),
            ("Ký duyệt", "leader", "2"),
            ("Trả kết quả", "receptionist", "0"),
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
    )


def make_building(office):
    """Cấp giấy phép xây dựng: walk-in only, a fee, green lane (investment)."""
    return procedure_with(
        code="1.009794",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field=("XD", "Xây dựng"),
        legal_working_days="15",
        steps=[
            ("Tiếp nhận", "receptionist", "8"),
            ("Thẩm định", "specialist", "104"),
            ("Ký duyệt", "leader", "8"),
        ],
        documents=[DocumentSpec(name="Đơn đề nghị cấp giấy phép xây dựng")],
        units=[office.ward, office.other_ward],
        online_mode="none",
        fee=75000,
        green_lane_group="investment",
    )


def finish(office, dossier_id):
    """Complete every counted step (receptionist, specialist, leader): the result is ready."""
    from motcua.dossiers.models import DossierStep
    from motcua.dossiers.services import complete_step

    actors = {"receptionist": office.receptionist, "specialist": office.specialist}
    actors["leader"] = office.leader
    for step in DossierStep.objects.filter(dossier_id=dossier_id, counted=True).order_by("order"):
        complete_step(step_id=step.pk, actor=actors[step.role])


def make_chairman(office):
    """The ward chairman's published line (a focal point), reachable by phone, Zalo and email."""
    return FocalPoint.objects.create(
        unit=office.ward,
        order=1,
        title="Chủ tịch UBND phường",
        person="Phạm Văn Bình",
        phone="024.3825.1234",
        zalo="0912000111",
        viber="0912000111",
        email="ubnd@hoankiem.example.vn",
        hours="Giờ hành chính các ngày làm việc",
    )
