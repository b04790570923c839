"""Staff pages of the feedback desk: the queue, the intake form, the item page and its forms.
Every page: the happy path, the outsider (404), bad input (4xx with a message)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from motcua.feedback.models import Feedback
from motcua.feedback.services import answer_feedback
from tests.feedback.factories import MONDAY_9, make_dossier, make_feedback, make_routed

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


def url(name, *args):
    return reverse(f"office:{name}", args=args)


# ----------------------------------------------------------------------------------- the queue
def test_the_queue_shows_overdue_badges_and_filters(client, office):
    late = make_routed(office, content="Hồ sơ trễ hẹn, chưa ai trả lời.")
    make_feedback(
        actor=office.receptionist,
        channel="zalo",
        content="Tin nhắn Zalo mới.",
        received_at=MONDAY_9 + 40 * H,
    )
    client.force_login(office.supervisor)
    with time_machine.travel(MONDAY_9 + 49 * H, tick=False):
        page = client.get(url("feedback_list"))
        assert page.status_code == 200
        assert f"#{late.pk}" in page.text and "Tin nhắn Zalo mới." in page.text
        assert "Quá hạn" in page.text
        only_overdue = client.get(url("feedback_list"), {"overdue": "1"})
        assert "Hồ sơ trễ hẹn" in only_overdue.text and "Tin nhắn Zalo" not in only_overdue.text
        zalo = client.get(url("feedback_list"), {"channel": "zalo"})
        assert "Tin nhắn Zalo" in zalo.text and "Hồ sơ trễ hẹn" not in zalo.text


def test_the_queue_refuses_bad_filters_with_a_message(client, office):
    client.force_login(office.supervisor)
    page = client.get(url("feedback_list"), {"status": "lost"})
    assert page.status_code == 400 and "lost" in page.text
    page = client.get(url("feedback_list"), {"unit": "NOPE"})
    assert page.status_code == 400 and "Không có đơn vị" in page.text


def test_the_outsider_sees_an_empty_queue_and_404_for_an_item(client, office):
    item = make_routed(office, content="Nội dung riêng của phường.")
    client.force_login(office.outsider)
    page = client.get(url("feedback_list"))
    assert page.status_code == 200 and "Nội dung riêng" not in page.text
    assert client.get(url("feedback_detail", item.pk)).status_code == 404
    for action in ("classify", "answer", "close", "return", "publish"):
        assert client.post(url(f"feedback_{action}", item.pk), {}).status_code == 404


def test_the_pages_need_a_login(client, office):
    answer = client.get(url("feedback_list"))
    assert answer.status_code == 302 and answer.headers["Location"].startswith(reverse("login"))


# ------------------------------------------------------------------------------------ intake
def hotline_call(client, **fields):
    """The operator's form for a call taken at 09:00 on Monday 02/03/2026."""
    data = {"channel": "hotline", "received_at": "2026-03-02T09:00", **fields}
    return client.post(url("feedback_new"), data)


def test_an_operator_types_a_hotline_call_while_listening(client, office):
    dossier = make_dossier(unit=office.ward)
    client.force_login(office.receptionist)
    form = client.get(url("feedback_new"))
    assert form.status_code == 200 and "Đường dây nóng" in form.text
    answer = hotline_call(
        client,
        name="Lê Văn Gọi",
        phone="0904000111",
        content="Hồ sơ làn xanh trễ hẹn.",
        dossier_code=dossier.code,
    )
    assert answer.status_code == 302
    item = Feedback.objects.get()
    assert answer.headers["Location"] == url("feedback_detail", item.pk)
    assert item.received_at == MONDAY_9 and item.entered_by == office.receptionist
    assert item.dossier == dossier
    page = client.get(answer.headers["Location"])
    assert "Mã tra cứu" in page.text and "Lê Văn Gọi" in page.text


def test_intake_refuses_bad_input_with_a_message(client, office):
    client.force_login(office.receptionist)
    page = hotline_call(client)
    assert page.status_code == 400 and "Hãy nhập nội dung phản ánh" in page.text
    page = hotline_call(client, content="x" * 5001)
    assert page.status_code == 422 and "5.000" in page.text
    page = hotline_call(client, content="x", dossier_code="KHONG-CO")
    assert page.status_code == 422 and "KHONG-CO" in page.text
    page = client.post(url("feedback_new"), {"channel": "fax", "content": "x"})
    assert page.status_code == 400
    assert not Feedback.objects.exists()


def test_only_the_desk_and_supervisors_may_enter(client, office):
    client.force_login(office.outsider)
    page = client.get(url("feedback_new"))
    assert page.status_code == 403 and "Bộ phận Một cửa" in page.text
    assert client.post(url("feedback_new"), {"content": "x"}).status_code == 403


# ------------------------------------------------------------------------------ the item page
def test_the_supervisor_classifies_out_of_scope_with_guidance(client, office):
    item = make_feedback(actor=office.receptionist)
    client.force_login(office.supervisor)
    page = client.get(url("feedback_detail", item.pk))
    assert "Phân loại và chuyển xử lý" in page.text
    answer = client.post(
        url("feedback_classify", item.pk),
        {"category": "other", "in_scope": "0", "note": "Xin liên hệ Tòa án nhân dân."},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.answer == "Xin liên hệ Tòa án nhân dân."


def test_classify_refuses_bad_input_and_the_wrong_person(client, office):
    item = make_feedback(actor=office.receptionist)
    client.force_login(office.supervisor)
    page = client.post(url("feedback_classify", item.pk), {"category": "", "in_scope": "1"})
    assert page.status_code == 400
    page = client.post(url("feedback_classify", item.pk), {"category": "delay", "in_scope": "1"})
    assert page.status_code == 422 and "Hãy chọn đơn vị bị phản ánh" in page.text
    page = client.post(url("feedback_classify", item.pk), {"category": "other", "in_scope": "0"})
    assert page.status_code == 422 and "hướng dẫn" in page.text
    client.force_login(office.receptionist)
    page = client.post(
        url("feedback_classify", item.pk),
        {"category": "delay", "in_scope": "1", "unit": office.ward.pk},
    )
    assert page.status_code == 403 and "kiểm tra, giám sát" in page.text


def test_the_unit_answers_and_the_supervisor_returns_then_closes(client, office):
    item = make_routed(office)
    client.force_login(office.head)
    page = client.get(url("feedback_detail", item.pk))
    assert "Gửi trả lời" in page.text and "Lưu phân loại" not in page.text
    page = client.post(url("feedback_answer", item.pk), {"answer": ""})
    assert page.status_code == 400 and "Hãy nhập nội dung trả lời" in page.text
    assert client.post(url("feedback_answer", item.pk), {"answer": "Đã xử lý."}).status_code == 302
    page = client.post(url("feedback_answer", item.pk), {"answer": "Lần hai."})
    assert page.status_code == 409 and "đã được trả lời" in page.text

    client.force_login(office.supervisor)
    page = client.post(url("feedback_return", item.pk), {"note": ""})
    assert page.status_code == 422 and "lý do" in page.text
    assert client.post(url("feedback_return", item.pk), {"note": "Chưa rõ."}).status_code == 302
    client.force_login(office.head)
    client.post(url("feedback_answer", item.pk), {"answer": "Lý do: thiếu chữ ký."})
    client.force_login(office.supervisor)
    assert client.post(url("feedback_close", item.pk), {"note": ""}).status_code == 302
    item.refresh_from_db()
    assert item.status == "closed"
    page = client.get(url("feedback_detail", item.pk))
    for kind in ("Tiếp nhận", "Phân loại", "Trả lời", "Trả lại", "Kết thúc"):
        assert kind in page.text
    page = client.post(url("feedback_close", item.pk), {})
    assert page.status_code == 409 and "đã kết thúc" in page.text


def test_publication_from_the_page(client, office):
    item = make_routed(office)
    client.force_login(office.supervisor)
    page = client.post(url("feedback_publish", item.pk), {"published": "1"})
    assert page.status_code == 409 and "chưa có câu trả lời" in page.text
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="Đã xử lý.")
    assert client.post(url("feedback_publish", item.pk), {"published": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.published
    assert client.post(url("feedback_publish", item.pk), {"published": "x"}).status_code == 400


def test_a_script_in_a_complaint_stays_text(client, office):
    item = make_routed(office, content="<script>alert('x')</script>\n<b>đậm</b>")
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="<img src=x onerror=alert(1)>")
    client.force_login(office.supervisor)
    page = client.get(url("feedback_detail", item.pk)).text
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    )
    assert "<b>đậm</b>" not in page and "<img src=x" not in page
    queue = client.get(url("feedback_list")).text
    assert "<script>alert" not in queue and "&lt;script&gt;" in queue


def test_an_absurd_id_is_404_not_500(client, office):
    client.force_login(office.supervisor)
    assert client.get("/can-bo/phan-anh/99999999999999999999999/").status_code == 404
    assert client.post("/can-bo/phan-anh/99999999999999999999999/tra-loi/", {}).status_code == 404
