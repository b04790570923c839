"""The desk: search the unit's procedures, check the papers, enter the applicant, then receive
(Mẫu 01), or print Mẫu 02 / Mẫu 03 for papers that are not received; backdated paper reception."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.catalog.services import DocumentSpec
from motcua.dossiers.models import Dossier
from tests.dossiers.helpers import at, procedure_with
from tests.dossiers.test_official_forms import text_of
from tests.factories import make_procedure
from tests.office.test_worklist import bulk_dossiers

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def procedure(office):
    return procedure_with(
        code="9.800001",
        name="Đăng ký khai sinh thử nghiệm",
        steps=[
            ("Bước 1", "receptionist", "2"),
            ("Bước 2", "specialist", "4"),
            ("Bước 3", "leader", "2"),
        ],
        documents=[
            DocumentSpec(name="Tờ khai đăng ký khai sinh"),
            DocumentSpec(name="Giấy chứng sinh", form="original"),
            DocumentSpec(name="Giấy tờ chứng minh nơi cư trú", mandatory=False),
        ],
        units=[office.ward],
    )


@pytest.fixture
def elsewhere(office):
    return make_procedure(units=[office.other_ward], name="Cấp giấy phép xây dựng thử nghiệm")


def docs_of(procedure):
    return {d.name: str(d.pk) for d in procedure.documents.all()}


def reception_data(procedure, **overrides):
    docs = docs_of(procedure)
    data = {
        "unit": "TP.01",
        "procedure": procedure.code,
        "documents": [docs.get("Tờ khai đăng ký khai sinh"), docs.get("Giấy chứng sinh")],
        "name": "Phạm Thị Hồng Nhung",
        "id_number": "001188004567",
        "phone": "0987654321",
        "email": "nhung@example.vn",
        "address": "5 Lý Thái Tổ, Hoàn Kiếm",
        "green_lane_group": "",
        "channel": "counter",
        "note": "",
        "action": "receive",
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------- the page
@time_machine.travel(at(19, 9), tick=False)
def test_the_desk_searches_only_the_procedures_its_unit_offers(
    client, office, procedure, elsewhere
):
    client.force_login(office.receptionist)
    page = client.get(reverse("office:reception"))
    assert page.status_code == 200
    assert "Tiếp nhận hồ sơ" in page.text
    found = client.get(reverse("office:procedure_search"), {"q": "thử nghiệm"}, **HX)
    assert found.status_code == 200
    assert procedure.name in found.text and elsewhere.name not in found.text
    by_code = client.get(reverse("office:procedure_search"), {"q": procedure.code}, **HX)
    assert procedure.name in by_code.text
    nothing = client.get(reverse("office:procedure_search"), {"q": elsewhere.code}, **HX)
    assert "không tiếp nhận thủ tục nào khớp" in nothing.text
    # without htmx the search lands on the page with the results
    plain = client.get(reverse("office:procedure_search"), {"q": "khai sinh"}, follow=True)
    assert procedure.name in plain.text


@time_machine.travel(at(19, 9), tick=False)
def test_the_chosen_procedure_shows_its_papers_as_a_checklist(client, office, procedure):
    client.force_login(office.receptionist)
    page = client.get(reverse("office:reception"), {"thu-tuc": procedure.code})
    assert page.status_code == 200
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú"):
        assert name in page.text
    assert "bắt buộc" in page.text and "nếu có" in page.text
    assert 'type="checkbox" name="documents"' in page.text
    assert "In Phiếu yêu cầu bổ sung (Mẫu 02)" in page.text


@time_machine.travel(at(19, 9, 40), tick=False)
def test_receiving_creates_the_dossier_and_leads_to_the_receipt(client, office, procedure):
    client.force_login(office.receptionist)
    answer = client.post(
        reverse("office:reception"), reception_data(procedure, green_lane_group="investment")
    )
    assert answer.status_code == 303
    dossier = Dossier.objects.get()
    assert answer.headers["Location"] == reverse("office:dossier", args=[dossier.code]) + "?moi=1"
    assert dossier.applicant.name == "Phạm Thị Hồng Nhung"
    assert dossier.green_lane and dossier.green_lane_group == "investment"
    assert [d["name"] for d in dossier.documents] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    page = client.get(answer.headers["Location"])
    assert "Đã tiếp nhận hồ sơ" in page.text and "17:00 22/01/2026" in page.text
    receipt = client.get(reverse("office:form_pdf", args=[dossier.code, "receipt"]))
    text = text_of(receipt.content)
    assert "Phạm Thị Hồng Nhung" in text
    assert "09 giờ 40 phút, ngày 19 tháng 01 năm 2026" in text
    assert "LÀN XANH" in text


@time_machine.travel(at(19, 9), tick=False)
def test_a_dossier_missing_a_mandatory_paper_is_not_received(client, office, procedure):
    client.force_login(office.receptionist)
    docs = docs_of(procedure)
    answer = client.post(
        reverse("office:reception"),
        reception_data(procedure, documents=[docs["Tờ khai đăng ký khai sinh"]]),
    )
    assert answer.status_code == 422
    assert "còn thiếu giấy tờ bắt buộc: Giấy chứng sinh" in answer.text
    assert "Mẫu 02" in answer.text
    assert not Dossier.objects.exists()


@time_machine.travel(at(19, 9), tick=False)
def test_bad_input_is_shown_on_the_field(client, office, procedure):
    client.force_login(office.receptionist)
    answer = client.post(
        reverse("office:reception"), reception_data(procedure, name="", email="khong-hop-le")
    )
    assert answer.status_code == 422
    assert "Hãy sửa các ô được đánh dấu" in answer.text
    assert not Dossier.objects.exists()


@time_machine.travel(at(19, 9), tick=False)
def test_a_procedure_the_unit_does_not_offer_cannot_be_received(client, office, elsewhere):
    client.force_login(office.receptionist)
    answer = client.post(reverse("office:reception"), reception_data(elsewhere, documents=[]))
    assert answer.status_code == 422
    assert "Hãy chọn thủ tục mà đơn vị tiếp nhận" in answer.text


# ------------------------------------------------------------------------------ backdating
@time_machine.travel(at(20, 10), tick=False)
def test_a_paper_dossier_is_backdated_with_its_reason(client, office, procedure):
    client.force_login(office.receptionist)
    no_reason = client.post(
        reverse("office:reception"),
        reception_data(procedure, backdated="on", received_at="2026-01-19T15:30"),
    )
    assert no_reason.status_code == 422
    assert "Hãy ghi lý do nhập lùi" in no_reason.text
    future = client.post(
        reverse("office:reception"),
        reception_data(
            procedure,
            backdated="on",
            received_at="2026-01-21T08:00",
            received_at_reason="Mất điện",
        ),
    )
    assert future.status_code == 422
    assert "ở tương lai" in future.text
    answer = client.post(
        reverse("office:reception"),
        reception_data(
            procedure,
            backdated="on",
            received_at="2026-01-19T15:30",
            received_at_reason="Mất kết nối mạng chiều 19/01",
        ),
    )
    assert answer.status_code == 303
    dossier = Dossier.objects.get()
    assert dossier.code == "TP.01-260119-0001"  # the code of its real date
    assert dossier.received_at == at(19, 15, 30)
    assert dossier.received_at_reason == "Mất kết nối mạng chiều 19/01"


# ------------------------------------------------------------------- Mẫu 02 / Mẫu 03 at intake
@time_machine.travel(at(19, 9), tick=False)
def test_the_desk_prints_mau_02_listing_everything_missing(client, office, procedure):
    client.force_login(office.receptionist)
    docs = docs_of(procedure)
    answer = client.post(
        reverse("office:intake_form_pdf"),
        reception_data(
            procedure,
            documents=[docs["Tờ khai đăng ký khai sinh"]],
            items="Tờ khai phải có chữ ký của người đi đăng ký",
            form="supplement-request",
        ),
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = text_of(answer.content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Phạm Thị Hồng Nhung" in text
    assert "Tờ khai phải có chữ ký của người đi đăng ký" in text
    assert "Bổ sung: Giấy chứng sinh" in text
    assert not Dossier.objects.exists()


@time_machine.travel(at(19, 9), tick=False)
def test_the_desk_prints_mau_03_with_the_reason(client, office, procedure):
    client.force_login(office.receptionist)
    no_reason = client.post(
        reverse("office:intake_form_pdf"), reception_data(procedure, form="refusal")
    )
    assert no_reason.status_code == 422
    assert "Hãy ghi lý do từ chối" in no_reason.text
    answer = client.post(
        reverse("office:intake_form_pdf"),
        reception_data(procedure, form="refusal", reason="Người nộp không có quyền yêu cầu"),
    )
    assert answer.status_code == 200
    text = text_of(answer.content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Người nộp không có quyền yêu cầu" in text


# ------------------------------------------------------------------------------ who may
@time_machine.travel(at(19, 9), tick=False)
def test_a_role_without_reception_sees_no_link_and_a_forged_post_gets_403(
    client, office, procedure
):
    client.force_login(office.specialist)
    home = client.get(reverse("office:home"))
    assert reverse("office:reception") not in home.text
    assert client.get(reverse("office:reception")).status_code == 403
    assert client.post(reverse("office:reception"), reception_data(procedure)).status_code == 403
    forged = client.post(
        reverse("office:intake_form_pdf"), reception_data(procedure, form="refusal", reason="x")
    )
    assert forged.status_code == 403
    assert not Dossier.objects.exists()


@time_machine.travel(at(19, 9), tick=False)
def test_another_units_receptionist_gets_404_for_this_unit(client, office, procedure):
    from tests.factories import make_staff

    other_desk = make_staff(roles=[(office.other_ward, "receptionist")])
    client.force_login(other_desk)
    assert client.get(reverse("office:reception"), {"unit": "TP.01"}).status_code == 404
    answer = client.post(reverse("office:reception"), reception_data(procedure))
    assert answer.status_code == 404
    assert not Dossier.objects.exists()


@time_machine.travel(at(20, 9), tick=False)
def test_the_reception_page_is_bounded_on_a_unit_holding_2000_dossiers(
    client, office, procedure, django_assert_max_num_queries
):
    bulk_dossiers(office, procedure, 2000)
    client.force_login(office.receptionist)
    # a fixed cost per part of the page (the fee schedule and its exemptions, the counter strip,
    # the calendar on a cold cache), never a query per dossier
    with django_assert_max_num_queries(20):
        page = client.get(reverse("office:reception"), {"thu-tuc": procedure.code, "q": "khai"})
    assert page.status_code == 200
