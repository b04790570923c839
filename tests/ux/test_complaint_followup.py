"""Finding 4: the complaint form gave "Số phản ánh 1, Mã tra cứu … để theo dõi câu trả lời" but no
portal page accepted them, and the answer's SMS carried no link. Now the portal has a follow-up
page (number + secret, the secret posted, never in a URL), the confirmation links to it with the
number prefilled, and the acknowledgement and the answer (SMS and e-mail) carry that link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from motcua.core.text import GSM7
from motcua.feedback.models import Feedback
from motcua.feedback.services import (
    Sender,
    answer_feedback,
    classify_feedback,
    close_feedback,
    receive_feedback,
)
from motcua.notifications.models import Message
from tests.feedback.factories import MONDAY_9, make_feedback, make_routed

pytestmark = pytest.mark.django_db

SITE = "https://dichvucong.example.vn"
FOLLOW = "/lien-he/phan-anh/theo-doi/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MOTCUA_NOTIFY = {**settings.MOTCUA_NOTIFY, "SITE_URL": SITE}


def _web_complaint(**sender):
    sender = {"name": "Trần Thị Bích", "phone": "0987654321", **sender}
    return receive_feedback(
        actor=None,
        channel="web",
        content="Hồ sơ của tôi đã quá hạn mà chưa có thư xin lỗi.",
        sender=Sender(**sender),
        require_contact=True,
    )


def test_the_follow_up_page_exists_at_a_stable_address():
    assert reverse("portal:feedback_lookup") == FOLLOW


def test_the_confirmation_links_to_the_follow_up_page_with_the_number_but_never_the_secret(
    client, office
):
    answer = client.post(
        reverse("portal:feedback"),
        {"content": "Chậm trả kết quả.", "name": "Trần Thị Bích", "phone": "0987654321"},
    )
    assert answer.status_code == 201
    item = Feedback.objects.get()
    secret = re.search(r'Mã tra cứu</dt><dd class="big-code">([^<]+)<', answer.text).group(1)
    assert f'href="{FOLLOW}?so={item.pk}"' in answer.text
    hrefs = re.findall(r'href="([^"]+)"', answer.text)
    assert not [h for h in hrefs if secret in h]
    # the link prefills the number; the secret field stays empty
    page = client.get(FOLLOW, {"so": item.pk})
    assert page.status_code == 200
    assert f'value="{item.pk}"' in page.text
    assert secret not in page.text


def test_the_number_and_the_secret_show_the_status_and_no_answer_while_open(client, office):
    received = _web_complaint()
    page = client.post(FOLLOW, {"number": received.feedback.pk, "secret": received.secret})
    assert page.status_code == 200
    assert f"Phản ánh số {received.feedback.pk}" in page.text
    assert "Mới tiếp nhận" in page.text
    assert "Hạn trả lời" in page.text
    assert "Câu trả lời của cơ quan" not in page.text
    # typed in lower case with spaces, as people do
    typed = " ".join(received.secret.lower())
    assert client.post(FOLLOW, {"number": received.feedback.pk, "secret": typed}).status_code == 200


def test_a_wrong_secret_answers_like_an_unknown_number_and_is_not_echoed(client, office):
    received = _web_complaint()
    wrong = client.post(FOLLOW, {"number": received.feedback.pk, "secret": "ZZZZZZZZZZ"})
    unknown = client.post(FOLLOW, {"number": received.feedback.pk + 99, "secret": "ZZZZZZZZZZ"})
    assert wrong.status_code == unknown.status_code == 404
    assert "Không tìm thấy phản ánh" in wrong.text
    assert "ZZZZZZZZZZ" not in wrong.text
    assert "Mới tiếp nhận" not in wrong.text


def test_the_secret_in_a_url_is_never_used(client, office):
    received = _web_complaint()
    page = client.get(FOLLOW, {"so": received.feedback.pk, "secret": received.secret})
    assert page.status_code == 200
    assert "Mới tiếp nhận" not in page.text  # only the form, the number prefilled


@pytest.mark.parametrize(
    "data",
    [{"number": "", "secret": "X"}, {"number": "abc", "secret": "X"}, {"number": "1"}],
)
def test_bad_input_gets_a_clear_message_not_a_500(client, office, data):
    page = client.post(FOLLOW, data)
    assert page.status_code == 400
    assert "Hãy nhập" in page.text or "chỉ gồm chữ số" in page.text


def test_the_answer_shows_once_published_or_closed_by_the_same_rule_as_the_api(client, office):
    received = receive_feedback(
        actor=office.receptionist,
        channel="hotline",
        content="Hồ sơ trễ hẹn.",
        sender=Sender(name="Nguyễn Thị Phản Ánh", phone="0912345678"),
        received_at=MONDAY_9,
        now=MONDAY_9,
    )
    classify_feedback(
        feedback_id=received.feedback.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        unit_code="TP.01",
        now=MONDAY_9 + timedelta(hours=1),
    )
    answer_feedback(
        feedback_id=received.feedback.pk,
        actor=office.head,
        answer="Phường đã trả kết quả ngày 03/03 và xin lỗi ông/bà.",
        publish=False,
    )
    data = {"number": received.feedback.pk, "secret": received.secret}
    page = client.post(FOLLOW, data)
    api = client.post(
        f"/api/v1/public/feedback/{received.feedback.pk}/lookup",
        {"secret": received.secret},
        content_type="application/json",
    )
    assert page.status_code == api.status_code == 200
    assert api.json()["answer"] is None
    assert "Phường đã trả kết quả" not in page.text  # waiting for the supervisor's check
    assert "Đã trả lời, chờ kết thúc" in page.text
    close_feedback(feedback_id=received.feedback.pk, actor=office.supervisor)
    page = client.post(FOLLOW, data)
    assert "Câu trả lời của cơ quan" in page.text
    assert "Phường đã trả kết quả ngày 03/03 và xin lỗi ông/bà." in page.text
    assert "Đã kết thúc" in page.text


def test_portal_misses_count_in_the_same_bucket_as_the_api(client, office, settings):
    settings.MOTCUA_LOOKUP_RATE_LIMIT = (3, 600)
    received = _web_complaint()
    for _ in range(3):
        assert client.post(FOLLOW, {"number": 1, "secret": "WRONGWRONG"}).status_code == 404
    blocked = client.post(FOLLOW, {"number": received.feedback.pk, "secret": received.secret})
    assert blocked.status_code == 429 and blocked["Retry-After"]
    api = client.post(
        f"/api/v1/public/feedback/{received.feedback.pk}/lookup",
        {"secret": received.secret},
        content_type="application/json",
    )
    assert api.status_code == 429


def test_the_acknowledgement_sms_carries_the_follow_up_link_without_the_secret(office):
    received = _web_complaint()
    sms = Message.objects.get(feedback_id=received.feedback.pk, channel="sms")
    link = f"{SITE}{FOLLOW}?so={received.feedback.pk}"
    assert link in sms.body
    assert received.secret not in sms.body
    assert all(c in GSM7 for c in sms.body), sms.body


@pytest.mark.parametrize("contact", [{"phone": "0912345678"}, {"email": "bich@example.vn"}])
def test_the_answer_sms_and_email_carry_the_follow_up_link(office, contact):
    item = make_routed(office, sender=Sender(name="Trần Thị Bích", **contact))
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="Đã trả kết quả.")
    channel = "sms" if "phone" in contact else "email"
    msg = Message.objects.get(
        feedback_id=item.pk, channel=channel, template_code="feedback_answered"
    )
    assert f"{SITE}{FOLLOW}?so={item.pk}" in msg.body


def test_without_a_public_base_url_there_is_no_half_link(office, settings):
    settings.MOTCUA_NOTIFY = {**settings.MOTCUA_NOTIFY, "SITE_URL": ""}
    item = make_feedback(actor=office.receptionist)
    sms = Message.objects.get(feedback_id=item.pk, channel="sms")
    assert "theo-doi" not in sms.body and "Theo doi" not in sms.body


def test_the_follow_up_page_speaks_english_on_an_english_page(client, office):
    received = _web_complaint()
    client.cookies["django_language"] = "en"
    page = client.post(FOLLOW, {"number": received.feedback.pk, "secret": received.secret})
    assert page.status_code == 200
    assert f"Complaint no. {received.feedback.pk}" in page.text
    assert "Theo dõi phản ánh" not in page.text and "Hạn trả lời" not in page.text
