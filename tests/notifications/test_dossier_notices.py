"""Acceptance: the applicant of a dossier is told of its reception, a supplement request, a signed
apology with its new date, and the result — four notices, each queued in the transaction of the
dossier service that caused it, delivered by a real worker: email through a local SMTP server,
SMS through a local fake HTTP provider.

`test_the_dossier_services_queue_the_four_notices…` goes through the dossier services alone. The
test after it makes the same calls itself inside each service's transaction; a notice is written
once per fact, so both hold.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.notices import (
    notify_apology,
    notify_receipt,
    notify_result_ready,
    notify_supplement_request,
)
from motcua.dossiers.services import (
    ApplicantData,
    complete_step,
    draft_apology,
    receive_supplement,
    request_supplement,
    sign_apology,
)
from motcua.notifications.models import Message
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure
from tests.notifications.test_worker import deliver_all, worker_env

pytestmark = pytest.mark.server

BY_EMAIL = ApplicantData(name="Nguyễn Thị Lan", email="lan@example.vn")
BY_SMS = ApplicantData(name="Trần Văn Bình", phone="0987 654 321")
FOUR = ["dossier_received", "dossier_supplement_requested", "dossier_apology", "dossier_ready"]


def run_the_dossier(office, procedure, applicant, *, wire: bool):
    """Receive → supplement request → supplement → apology signed → ready, through the services.
    With `wire`, each notice is queued inside the service's own transaction (as the one line
    will do); without, the services are called alone."""

    def step(service, notice=None):
        if not wire or notice is None:
            return service()
        with transaction.atomic():
            result = service()
            notice(result)
            return result

    def messages():
        return list(
            Message.objects.filter(dossier_id=dossier.pk)
            .order_by("pk")
            .values_list("template_code", flat=True)
        )

    dossier = step(
        lambda: receive(office, procedure, applicant=applicant, now=at(19, 9)).dossier,
        lambda d: notify_receipt(dossier=d),
    )
    assert messages() == FOUR[:1], "receive_dossier queued no receipt notice"
    step(
        lambda: request_supplement(
            dossier_id=dossier.pk,
            actor=office.receptionist,
            items=["Bản sao giấy chứng nhận kết hôn"],
            note="Thiếu giấy tờ",
            now=at(19, 9, 30),
        ),
        lambda r: notify_supplement_request(dossier=r.dossier, request=r),
    )
    assert messages() == FOUR[:2], "request_supplement queued no notice"
    receive_supplement(dossier_id=dossier.pk, actor=office.receptionist, now=at(19, 10))
    complete_step(
        step_id=dossier.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10, 15)
    )
    apology = draft_apology(
        dossier_id=dossier.pk,
        actor=office.specialist,
        reason="Cần xác minh thông tin tại địa phương khác",
        new_due_at=at(26, 17),
        now=at(19, 10, 30),
    )
    step(
        lambda: sign_apology(apology_id=apology.pk, actor=office.leader, now=at(19, 10, 45)),
        lambda a: notify_apology(dossier=Dossier.objects.get(pk=a.dossier_id), apology=a),
    )
    assert messages() == FOUR[:3], "sign_apology queued no notice"
    complete_step(step_id=dossier.steps.get(order=2).pk, actor=office.specialist, now=at(19, 11))
    step(
        lambda: complete_step(
            step_id=dossier.steps.get(order=3).pk, actor=office.leader, now=at(19, 11, 30)
        ),
        lambda s: notify_result_ready(dossier=Dossier.objects.get(pk=s.dossier_id)),
    )
    assert messages() == FOUR, "the dossier became ready without a notice"
    return dossier


def deliver_and_check(task_queue, smtp_server, sms_provider, tmp_path, dossiers):
    ids = list(Message.objects.values_list("pk", flat=True))
    assert len(ids) == 8
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
    env = worker_env(task_queue, smtp_server, sms_provider)
    deliver_all(ids, env, tmp_path / "worker.log", "the eight notices to be delivered")
    by_email, by_sms = dossiers
    assert [d.to for d in smtp_server.deliveries] == ["lan@example.vn"] * 4
    subjects = sorted(d.subject for d in smtp_server.deliveries)
    assert any(f"Đã tiếp nhận hồ sơ {by_email.code}" in s for s in subjects)
    assert any(f"Hồ sơ {by_email.code} cần bổ sung" in s for s in subjects)
    assert any(f"Thư xin lỗi về việc chậm trả kết quả hồ sơ {by_email.code}" in s for s in subjects)
    assert any(f"Hồ sơ {by_email.code} đã có kết quả" in s for s in subjects)
    apology = next(d for d in smtp_server.deliveries if "Thư xin lỗi" in d.subject)
    assert "Thời gian hẹn trả kết quả mới: 17:00 ngày 26/01/2026." in apology.text
    assert [d.to for d in sms_provider.deliveries] == ["84987654321"] * 4
    texts = " | ".join(d.text for d in sms_provider.deliveries)
    assert f"da tiep nhan ho so {by_sms.code}" in texts
    assert "Hen lai 17:00 26/01/2026" in texts


@pytest.fixture
def procedure(office):
    return make_procedure(units=[office.ward])  # steps of 2, 4, 2 working hours


def test_the_dossier_services_queue_the_four_notices_that_the_worker_delivers(
    transactional_db, task_queue, smtp_server, sms_provider, office, procedure, tmp_path
):
    dossiers = [
        run_the_dossier(office, procedure, applicant, wire=False)
        for applicant in (BY_EMAIL, BY_SMS)
    ]
    deliver_and_check(task_queue, smtp_server, sms_provider, tmp_path, dossiers)


def test_the_four_notices_queued_in_the_services_transactions_are_delivered_by_the_worker(
    transactional_db, task_queue, smtp_server, sms_provider, office, procedure, tmp_path
):
    dossiers = [
        run_the_dossier(office, procedure, applicant, wire=True) for applicant in (BY_EMAIL, BY_SMS)
    ]
    deliver_and_check(task_queue, smtp_server, sms_provider, tmp_path, dossiers)


def test_a_notice_and_its_state_change_commit_or_roll_back_together(db, office, procedure):
    dossier = receive(office, procedure, applicant=BY_EMAIL, now=at(19, 9)).dossier
    with pytest.raises(RuntimeError), transaction.atomic():
        request = request_supplement(
            dossier_id=dossier.pk, actor=office.receptionist, items=["Giấy tờ"], now=at(19, 10)
        )
        notify_supplement_request(dossier=dossier, request=request)
        raise RuntimeError("the process died before the commit")
    assert not SupplementRequest.objects.filter(dossier=dossier).exists()
    assert not Message.objects.filter(template_code="dossier_supplement_requested").exists()
