"""Delivery through each channel to local fake providers, with retries and backoff."""

from __future__ import annotations

import base64
import io
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from pypdf import PdfReader

from motcua.dossiers.services import ApplicantData, draft_apology, receive_dossier, sign_apology
from motcua.notifications import defaults
from motcua.notifications.channels import normalize_phone, register_attachment_renderer
from motcua.notifications.models import Message
from motcua.notifications.services import (
    Recipient,
    deliver_message,
    queue_message,
    resend_message,
    sweep_stuck_messages,
)
from tests.factories import make_procedure, papers
from tests.notifications.fakes import free_port

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CITIZEN = Recipient(name="Nguyễn Thị Lan", email="lan@example.vn", phone="0912 345 678")
Status = Message.Status


def queue(channel="sms", template="test_notice", context=None, **kwargs):
    return queue_message(
        recipient=CITIZEN,
        channel=channel,
        template_code=template,
        context=context if context is not None else {"text": "Xin chào"},
        **kwargs,
    )


@register_attachment_renderer("test_pdf")
def _render_test_pdf(*, code: str) -> bytes:
    return b"%PDF-1.4 " + code.encode()


def test_an_sms_goes_to_the_provider_with_the_token_and_the_idempotency_key(db, sms_provider):
    message = queue()
    assert deliver_message(message.pk).status == "sent"
    message.refresh_from_db()
    (delivery,) = sms_provider.deliveries
    assert delivery.to == "84912345678"
    assert delivery.text == "Xin chao"  # an SMS is plain GSM-7 text (core.text.sms_text)
    assert delivery.headers["idempotency-key"] == f"motcua-message-{message.pk}"
    assert (message.status, message.provider_id, message.attempts) == (
        Status.SENT,
        delivery.provider_id,
        1,
    )
    assert message.sent_at is not None and message.last_error == ""


def test_sending_a_message_again_with_its_key_does_not_deliver_it_twice(db, sms_provider):
    message = queue()
    deliver_message(message.pk)
    # As after a crash between the provider's answer and our UPDATE: the row is still "sending".
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert deliver_message(message.pk).status == "sent"
    assert sms_provider.count() == 1 and sms_provider.replays == 1
    message.refresh_from_db()
    assert message.provider_id == sms_provider.deliveries[0].provider_id


def test_a_sent_message_is_never_claimed_again(db, sms_provider):
    message = queue()
    deliver_message(message.pk)
    assert deliver_message(message.pk).status == "skipped"
    assert sms_provider.requests == 1


def test_a_provider_that_is_down_gets_the_message_again_later_with_backoff(db, sms_provider):
    sms_provider.fail_next = 2
    message = queue()
    first = deliver_message(message.pk)
    assert first.status == "failed"
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "HTTP 503" in message.last_error
    assert deliver_message(message.pk).status == "skipped"  # not due yet
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    second = deliver_message(message.pk)
    assert second.status == "failed"
    # The second wait is about twice the first (1 s, then 2 s, each with up to 20 % jitter).
    assert first.retry_at is not None and second.retry_at is not None
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_message(message.pk).status == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 3)
    assert sms_provider.count() == 1


def test_retry_delays_grow_and_are_capped(notify_settings):
    from motcua.notifications.services import retry_delay

    delays = [retry_delay(n) for n in range(1, 8)]
    assert 0.8 <= delays[0] <= 1 and 1.6 <= delays[1] <= 2 and 3.2 <= delays[2] <= 4
    assert all(d <= 4 for d in delays)


def test_after_the_last_attempt_the_message_is_given_up(db, sms_provider):
    sms_provider.fail_next = 10
    message = queue()
    for _ in range(3):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outcome = deliver_message(message.pk)
    assert outcome.status == "given_up"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.GIVEN_UP, 3)


def test_a_refused_token_is_given_up_at_once(db, sms_provider):
    sms_provider.token = "another"
    message = queue()
    assert deliver_message(message.pk).status == "given_up"
    message.refresh_from_db()
    assert "HTTP 401" in message.last_error


def test_a_provider_that_does_not_answer_is_a_transient_failure(db, notify_settings):
    notify_settings.MOTCUA_NOTIFY = {
        **notify_settings.MOTCUA_NOTIFY,
        "SMS_URL": f"http://127.0.0.1:{free_port()}/send",
        "HTTP_TIMEOUT": 1,
    }
    message = queue()
    assert deliver_message(message.pk).status == "failed"


def test_zalo_reads_the_message_id_zalo_answers_with(db, zalo_provider):
    message = queue(channel="zalo")
    deliver_message(message.pk)
    message.refresh_from_db()
    (delivery,) = zalo_provider.deliveries
    assert message.provider_id == delivery.provider_id == "zalo-00001"
    assert delivery.to == "84912345678"
    assert delivery.headers["access_token"] == "zalo-token"


def test_an_email_with_its_pdf_forms_goes_through_smtp(db, smtp_server):
    pdf = b"%PDF-1.4 thu xin loi"
    message = queue(
        channel="email",
        template=defaults.DOSSIER_APOLOGY,
        context=defaults.BY_CODE[defaults.DOSSIER_APOLOGY].sample,
        attachments=[
            {
                "filename": "mau-04-thu-xin-loi.pdf",
                "mimetype": "application/pdf",
                "content_b64": base64.b64encode(pdf).decode(),
            },
            {
                "filename": "mau-01.pdf",
                "mimetype": "application/pdf",
                "renderer": "test_pdf",
                "params": {"code": "H26.74-260309-0001"},
            },
        ],
    )
    assert deliver_message(message.pk).status == "sent"
    (mail,) = smtp_server.deliveries
    message.refresh_from_db()
    assert mail.key == message.provider_id == f"<motcua-message-{message.pk}@motcua.local>"
    assert mail.to == "lan@example.vn"
    assert mail.subject.startswith("[UBND phường Hoàn Kiếm] Thư xin lỗi")
    assert "Thời gian hẹn trả kết quả mới: 17:00 ngày 17/03/2026." in mail.text
    assert mail.attachments == [
        ("mau-04-thu-xin-loi.pdf", "application/pdf", pdf),
        ("mau-01.pdf", "application/pdf", b"%PDF-1.4 H26.74-260309-0001"),
    ]


def test_the_signed_apology_goes_by_email_with_its_mau_04(db, office, smtp_server, time_machine):
    time_machine.move_to(datetime(2026, 1, 19, 9, tzinfo=VN), tick=False)
    procedure = make_procedure(units=[office.ward])
    created = receive_dossier(
        actor=office.receptionist,
        procedure_code=procedure.code,
        documents=papers(procedure),
        unit_code=office.ward.code,
        applicant=ApplicantData(name="Nguyễn Thị Lan", email="lan@example.vn"),
    )
    apology = draft_apology(
        dossier_id=created.dossier.pk,
        actor=office.receptionist,
        reason="Cần xác minh thêm với Công an phường",
        new_due_at=datetime(2026, 1, 29, 17, tzinfo=VN),
    )
    sign_apology(apology_id=apology.pk, actor=office.leader)
    message = Message.objects.get(dossier_id=created.dossier.pk, template_code="dossier_apology")
    # The signed letter itself goes along (issue 16): never a new rendering at send time.
    assert [sorted(a) for a in message.attachments] == [["content_b64", "filename", "mimetype"]]

    assert deliver_message(message.pk).status == "sent"
    (mail,) = smtp_server.deliveries
    ((filename, mimetype, content),) = mail.attachments
    assert (filename, mimetype) == (
        f"mau-04-thu-xin-loi-{created.dossier.code}.pdf",
        "application/pdf",
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert created.dossier.code in text and "Cần xác minh thêm với Công an phường" in text


def test_an_unreachable_smtp_server_is_a_transient_failure(db, notify_settings):
    notify_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    notify_settings.EMAIL_HOST = "127.0.0.1"
    notify_settings.EMAIL_PORT = free_port()
    message = queue(channel="email")
    assert deliver_message(message.pk).status == "failed"
    message.refresh_from_db()
    assert "Connection refused" in message.last_error


def test_the_console_channel_writes_the_notice_to_the_log(db, notify_settings, caplog):
    message = queue(channel="console")
    with caplog.at_level(logging.INFO, logger="motcua.notifications"):
        assert deliver_message(message.pk).status == "sent"
    assert "Xin chào" in caplog.text
    message.refresh_from_db()
    assert message.provider_id == f"console:motcua-message-{message.pk}"


def test_an_unconfigured_sms_channel_falls_back_to_the_log(db, notify_settings, caplog):
    message = queue(channel="sms")
    with caplog.at_level(logging.INFO, logger="motcua.notifications"):
        deliver_message(message.pk)
    assert "channel sms not configured" in caplog.text


@pytest.mark.parametrize(
    ("given", "wanted"),
    [
        ("0912 345 678", "84912345678"),
        ("+84 912.345.678", "84912345678"),
        ("84912345678", "84912345678"),
    ],
)
def test_vietnamese_phone_numbers_are_sent_with_the_country_code(given, wanted):
    assert normalize_phone(given) == wanted


# ------------------------------------------------------------------------------- the task
def test_the_worker_task_delivers_what_the_transaction_committed(
    db, sms_provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.status == Status.SENT and sms_provider.count() == 1


def test_the_worker_task_schedules_the_next_attempt_after_a_failure(
    db, sms_provider, django_capture_on_commit_callbacks
):
    sms_provider.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    (retry,) = HUEY.scheduled()
    assert retry.args == (message.pk,) and retry.eta is not None


def test_the_stuck_sweep_hands_back_a_dead_workers_message_and_a_lost_task(
    db, sms_provider, notify_settings
):
    now = timezone.now()
    dead = queue()
    Message.objects.filter(pk=dead.pk).update(
        status=Status.SENDING, lease_until=now - timedelta(seconds=1), attempts=1
    )
    lost = queue()
    Message.objects.filter(pk=lost.pk).update(next_attempt_at=now - timedelta(minutes=5))
    fresh = queue()  # its task is still in the queue: left alone
    picked = sweep_stuck_messages()
    assert sorted(picked) == sorted([dead.pk, lost.pk])
    assert sweep_stuck_messages() == []  # a second sweep finds nothing to claim
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[lost.pk] == Status.SENT  # delivered (immediate mode)
    assert statuses[fresh.pk] == Status.QUEUED
    assert sms_provider.count() == 2


def test_resending_a_message_makes_a_new_row_that_the_provider_delivers(
    db, sms_provider, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
    with django_capture_on_commit_callbacks(execute=True):
        again = resend_message(message_id=first.pk, actor=office.supervisor)
    again.refresh_from_db()
    assert again.resent_from_id == first.pk and again.status == Status.SENT
    assert sms_provider.count() == 2
