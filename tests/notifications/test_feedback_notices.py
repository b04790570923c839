"""The notices of a complaint: its acknowledgement and its answer to the citizen, each queued in
the transaction of the feedback service (as its one call will do), and the leader's notice of an
unanswered one (the sweep)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from motcua.feedback.notices import (
    notify_feedback_answered,
    notify_feedback_received,
)
from motcua.feedback.services import Sender, answer_feedback, classify_feedback
from motcua.notifications.models import Message
from tests.feedback.factories import MONDAY_9, make_feedback

H = timedelta(hours=1)


def test_the_citizen_is_told_the_complaint_was_received_and_then_the_answer(office):
    with transaction.atomic():
        item = make_feedback(
            actor=office.receptionist,
            sender=Sender(name="Lê Văn Bình", email="binh@example.vn", phone="0912000111"),
        )
        notify_feedback_received(feedback=item)
    classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        unit_code=office.ward.code,
        now=MONDAY_9 + H,
    )
    with transaction.atomic():
        item = answer_feedback(
            feedback_id=item.pk,
            actor=office.leader,
            answer="Phường đã trả kết quả và xin lỗi ông.",
            now=MONDAY_9 + 5 * H,
        )
        notify_feedback_answered(feedback=item)
    received, answered = Message.objects.order_by("pk")
    assert (received.channel, received.address, received.feedback_id) == (
        "email",
        "binh@example.vn",
        item.pk,
    )
    assert received.subject == f"Đã tiếp nhận phản ánh, kiến nghị #{item.pk}"
    assert "trả lời trước 09:00 ngày 04/03/2026" in received.body  # 48 clock hours (D11)
    assert answered.template_code == "feedback_answered"
    assert "Phường đã trả kết quả và xin lỗi ông." in answered.body


def test_a_complaint_by_phone_only_is_answered_by_sms_and_an_anonymous_one_not_at_all(office):
    by_phone = make_feedback(actor=office.receptionist, sender=Sender(phone="0912000111"))
    anonymous = make_feedback(actor=office.receptionist, sender=Sender())
    assert notify_feedback_received(feedback=by_phone).channel == "sms"
    assert notify_feedback_received(feedback=anonymous) is None
