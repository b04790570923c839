"""The outbox: a notice is a row written in the caller's transaction, rendered in Vietnamese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from motcua.core.errors import InvalidInput
from motcua.notifications import defaults
from motcua.notifications.models import Message, Template, UnitNoticeSettings
from motcua.notifications.services import (
    OutsideTransaction,
    Recipient,
    UnknownTemplate,
    due_soon_threshold,
    notify_staff,
    queue_message,
    render,
)
from motcua.org.selectors import unit_leaders

CITIZEN = Recipient(name="Nguyễn Thị Lan", email="lan@example.vn", phone="0912 345 678")
DUE = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)  # 17:00 in Hanoi


def receipt_context(**extra):
    return {**defaults.BY_CODE[defaults.DOSSIER_RECEIVED].sample, "due_at": DUE, **extra}


def test_a_notice_is_queued_rendered_in_vietnamese_and_delivered_only_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = queue_message(
            recipient=CITIZEN,
            channel="email",
            template_code=defaults.DOSSIER_RECEIVED,
            context=receipt_context(),
            dossier_id=42,
        )
        assert len(callbacks) == 0  # nothing leaves before the state change commits
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.address == "lan@example.vn"
    assert message.dossier_id == 42
    assert message.subject == "[UBND phường Hoàn Kiếm] Đã tiếp nhận hồ sơ H26.74-260309-0001"
    assert "Ngày hẹn trả kết quả: 17:00 ngày 12/03/2026." in message.body
    assert message.body.startswith("Kính gửi Nguyễn Thị Lan,")


def test_a_notice_rolls_back_with_the_state_change_that_caused_it(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_message(
            recipient=CITIZEN,
            channel="sms",
            template_code=defaults.DOSSIER_READY,
            context=receipt_context(),
        )
        raise RuntimeError("the reception failed")
    assert not Message.objects.exists()


def test_queueing_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(OutsideTransaction):
        queue_message(recipient=CITIZEN, channel="email", template_code="test_notice", context={})


def test_the_sms_text_is_the_short_one_and_english_is_rendered_on_request(db):
    sms = queue_message(
        recipient=CITIZEN,
        channel="sms",
        template_code=defaults.DOSSIER_RECEIVED,
        context=receipt_context(),
    )
    assert sms.address == "0912 345 678"
    # the whole SMS without diacritics (core.text.sms_text), the unit's name included
    assert sms.body.startswith("UBND phuong Hoan Kiem: da tiep nhan ho so H26.74-260309-0001")
    english = queue_message(
        recipient=CITIZEN,
        channel="email",
        template_code=defaults.DOSSIER_RECEIVED,
        context=receipt_context(),
        language="en",
    )
    assert english.language == "en"
    assert "Your result is due by 17:00, 12/03/2026." in english.body


def test_a_recipient_without_an_address_for_the_channel_is_on_record_as_given_up(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = queue_message(
            recipient=Recipient(name="Không Có Email"),
            channel="email",
            template_code="test_notice",
            context={},
        )
    assert callbacks == []
    assert message.status == Message.Status.GIVEN_UP
    assert "không có địa chỉ" in message.last_error


def test_the_same_dedupe_key_writes_one_notice(db):
    first, again = (
        queue_message(
            recipient=CITIZEN,
            channel="email",
            template_code="test_notice",
            context={},
            dedupe_key="step_overdue:7:officer:3",
        )
        for _ in range(2)
    )
    assert again.pk == first.pk
    assert Message.objects.count() == 1


def test_an_administrators_edit_wins_and_a_deleted_template_comes_back_as_the_default(db):
    Template.objects.filter(code="test_notice").update(body_vi="Chào {{ text }}!")
    assert render("test_notice", {"text": "phường"}).body == "Chào phường!"
    Template.objects.filter(code="test_notice").delete()
    assert render("test_notice", {"text": "Xin chào"}).body == "Xin chào"
    assert Template.objects.filter(code="test_notice").exists()


def test_every_shipped_template_renders_its_sample_in_both_languages(db):
    for item in defaults.DEFAULTS:
        for language in ("vi", "en"):
            text = render(item.code, item.sample, language)
            assert text.subject and text.body, (item.code, language)
            assert "{{" not in text.body and "{%" not in text.body


def test_unknown_templates_and_channels_are_refused(db):
    with pytest.raises(UnknownTemplate):
        queue_message(recipient=CITIZEN, channel="email", template_code="nope", context={})
    with pytest.raises(InvalidInput):
        queue_message(recipient=CITIZEN, channel="fax", template_code="test_notice", context={})


def test_officers_get_email_and_a_unit_leader_is_found(office):
    office.leader.email = "lanhdao@phuong.gov.vn"
    office.leader.save()
    message = notify_staff(
        staff=office.leader, template_code="test_notice", context={"text": "Quá hạn"}
    )
    assert (message.channel, message.address, message.staff_id) == (
        "email",
        "lanhdao@phuong.gov.vn",
        office.leader.pk,
    )
    without_email = notify_staff(staff=office.specialist, template_code="test_notice", context={})
    assert without_email.channel == "console"
    assert unit_leaders(office.ward.pk) == [office.leader]


def test_the_due_soon_threshold_is_the_units_own_else_an_ancestors_else_two_hours(office):
    assert due_soon_threshold(office.ward) == 2
    UnitNoticeSettings.objects.create(unit=office.city, due_soon_working_hours=4)
    assert due_soon_threshold(office.ward) == 4
    UnitNoticeSettings.objects.create(unit=office.ward, due_soon_working_hours="1.5")
    assert str(due_soon_threshold(office.ward)) == "1.50"
