"""The real worker process: it delivers the outbox, and a kill -9 loses and duplicates nothing.

Each test runs with the SQLite task storage and with Redis (`task_queue`), on the suite's database
(SQLite or PostgreSQL), and starts `motcua worker` as a process of its own.
"""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from motcua.notifications import defaults
from motcua.notifications.models import Message
from motcua.notifications.services import Recipient, queue_message
from tests.notifications.worker import Worker, wait_for

pytestmark = pytest.mark.server
log = logging.getLogger(__name__)

CITIZEN = Recipient(name="Nguyễn Thị Lan", email="lan@example.vn", phone="0912345678")
Status = Message.Status


def worker_env(task_queue, smtp_server=None, sms_provider=None, **extra):
    env = {
        **task_queue,
        "MOTCUA_NOTIFY_RETRY_BASE_SECONDS": "0.5",
        "MOTCUA_NOTIFY_LEASE_SECONDS": "2",
        "MOTCUA_NOTIFY_STUCK_AFTER_SECONDS": "2",
        **extra,
    }
    if smtp_server is not None:
        env |= {
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
        }
    if sms_provider is not None:
        env |= {"MOTCUA_SMS_URL": sms_provider.url, "MOTCUA_SMS_TOKEN": sms_provider.token}
    return env


def all_sent(ids) -> bool:
    return not Message.objects.filter(pk__in=ids).exclude(status=Status.SENT).exists()


def deliver_all(ids, env, log, what: str) -> None:
    """Run a worker until the messages ``ids`` are all sent (30 s at most), then stop it."""
    worker = Worker(env, log)
    try:
        worker.start()
        wait_for(lambda: all_sent(ids), timeout=30, what=what)
    finally:
        worker.stop()


def test_the_worker_delivers_each_channels_messages_and_retries_a_provider_that_failed(
    transactional_db, task_queue, smtp_server, sms_provider, tmp_path
):
    sms_provider.fail_next = 1  # the first SMS attempt meets a 503 and is retried with backoff
    ids = []
    for template, channel in [
        (defaults.DOSSIER_RECEIVED, "email"),
        (defaults.DOSSIER_SUPPLEMENT_REQUESTED, "sms"),
        (defaults.DOSSIER_APOLOGY, "email"),
        (defaults.DOSSIER_READY, "sms"),
    ]:
        with transaction.atomic():
            message = queue_message(
                recipient=CITIZEN,
                channel=channel,
                template_code=template,
                context=defaults.BY_CODE[template].sample,
                dossier_id=1,
            )
        ids.append(message.pk)
    env = worker_env(task_queue, smtp_server, sms_provider)
    deliver_all(ids, env, tmp_path / "worker.log", "the four messages to be sent")
    assert smtp_server.count() == 2 and sms_provider.count() == 2
    retried = Message.objects.get(pk=ids[1])
    assert retried.attempts == 2
    assert retried.provider_id == sms_provider.by_key[retried.idempotency_key]
    assert sorted(d.subject for d in smtp_server.deliveries) == [
        "[UBND phường Hoàn Kiếm] Thư xin lỗi về việc chậm trả kết quả hồ sơ H26.74-260309-0001",
        "[UBND phường Hoàn Kiếm] Đã tiếp nhận hồ sơ H26.74-260309-0001",
    ]


def test_after_a_kill_9_mid_batch_every_message_is_delivered_exactly_once(
    transactional_db, task_queue, sms_provider, tmp_path
):
    total = 150
    sms_provider.delay = 0.03  # the provider records, then answers: a kill can fall in between
    with transaction.atomic():
        ids = [
            queue_message(
                recipient=CITIZEN,
                channel="sms",
                template_code="test_notice",
                context={"text": f"Tin nhắn số {n}"},
            ).pk
            for n in range(total)
        ]
    worker = Worker(worker_env(task_queue, sms_provider=sms_provider), tmp_path / "worker.log", 4)
    try:
        worker.start()
        wait_for(lambda: sms_provider.count() >= total // 3, timeout=30, what="a third delivered")
        worker.kill9()
        delivered_at_kill = sms_provider.count()
        in_flight = Message.objects.filter(status=Status.SENDING).count()
        assert delivered_at_kill < total, "the worker finished before it could be killed"
        worker.start()
        wait_for(lambda: all_sent(ids), timeout=60, what="every message to be sent")
    finally:
        worker.stop()
    keys = sms_provider.keys()
    assert len(keys) == total == len(set(keys))
    assert set(keys) == {f"motcua-message-{pk}" for pk in ids}
    for message in Message.objects.filter(pk__in=ids):
        assert message.provider_id == sms_provider.by_key[message.idempotency_key]
    log.info(  # with --log-cli-level=INFO: what the kill left in flight, how many replays
        "killed at %s/%s delivered, %s in flight; %s replayed call(s) answered from the key",
        delivered_at_kill,
        total,
        in_flight,
        sms_provider.replays,
    )


def test_two_workers_running_the_sweeps_at_once_send_each_overdue_notice_once(
    transactional_db, task_queue, smtp_server, office, tmp_path
):
    from huey.contrib.djhuey import HUEY

    from motcua.dossiers.services import ApplicantData
    from motcua.dossiers.tasks import sweep_deadlines_task
    from tests.dossiers.helpers import at, receive
    from tests.factories import make_procedure

    for person in (office.receptionist, office.leader):
        person.email = f"{person.username}@phuong.gov.vn"
        person.save()
    procedure = make_procedure(units=[office.ward], hours=("4", "8", "2"))
    walk_in = ApplicantData(name="Nguyễn Văn An")  # no contact: the receipt notice goes to the log
    for hour in (8, 9, 10, 11):  # long overdue: received in January 2026
        receive(office, procedure, now=at(19, hour), applicant=walk_in)
    env = worker_env(task_queue, smtp_server, MOTCUA_NOTIFY_OVERDUE_LOOKBACK_DAYS="100000")
    workers = [Worker(env, tmp_path / f"worker{n}.log") for n in (1, 2)]
    expected = 4 * 2 + 4  # each step 1 to its officer and the leader; each dossier to the leader
    try:
        for worker in workers:
            worker.start()
        for _ in range(8):  # eight sweeps at once, for four threads in two processes
            sweep_deadlines_task()
        wait_for(
            lambda: (
                HUEY.pending_count() == 0
                and Message.objects.count() >= expected
                and all_sent(Message.objects.values_list("pk", flat=True))
            ),
            timeout=60,
            what="the sweeps to run and their notices to be delivered",
        )
    finally:
        for worker in workers:
            worker.stop()
    assert Message.objects.filter(template_code="step_overdue").count() == 8
    assert Message.objects.filter(template_code="dossier_overdue").count() == 4
    keys = smtp_server.keys()
    assert len(keys) == expected == len(set(keys))
    runs = [
        w.log.read_text().count("Executing motcua.dossiers.tasks.dossiers.sweep_deadlines")
        for w in workers
    ]
    log.info("sweeps run by each worker (log lines): %s", runs)
    assert sum(runs) >= 8
