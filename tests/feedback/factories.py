"""Small helpers for feedback tests: a dossier to complain about, a complaint through the real
intake service."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Dossier
from motcua.feedback.services import Sender, classify_feedback, receive_feedback
from motcua.org.models import Staff, Unit
from tests.factories import make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_seq = itertools.count(1)

#: Monday 02/03/2026, 09:00 in Hanoi (DOMAIN E29, E30).
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def make_dossier(*, unit: Unit, green_lane: bool = True, code: str | None = None) -> Dossier:
    """A dossier in processing (written directly: the dossier engine is tested elsewhere)."""
    n = next(_seq)
    return Dossier.objects.create(
        code=code or f"{unit.code}-260220-{n:04d}",
        procedure=make_procedure(units=[unit]),
        unit=unit,
        channel="counter",
        status="in_progress",
        green_lane=green_lane,
        green_lane_group="investment" if green_lane else "",
        received_at=datetime(2026, 2, 20, 9, 0, tzinfo=VN),
        effective_received_at=datetime(2026, 2, 20, 9, 0, tzinfo=VN),
        due_at=datetime(2026, 2, 26, 17, 0, tzinfo=VN),
        original_due_at=datetime(2026, 2, 26, 17, 0, tzinfo=VN),
    )


def make_feedback(
    *,
    actor: Staff | None,
    content: str = "Hồ sơ của tôi trễ hẹn đã một tuần mà không ai giải thích.",
    channel: str = "hotline",
    received_at: datetime = MONDAY_9,
    now: datetime | None = None,
    **kwargs,
):
    kwargs.setdefault("sender", Sender(name="Nguyễn Thị Phản Ánh", phone="0912345678"))
    return receive_feedback(
        actor=actor,
        channel=channel,
        content=content,
        received_at=received_at,
        now=now or received_at,
        **kwargs,
    ).feedback


def make_routed(office, **kwargs):
    """A complaint taken at the ward's desk, classified as a delay and routed to the ward."""
    item = make_feedback(actor=office.receptionist, **kwargs)
    return classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        unit_code="TP.01",
        now=MONDAY_9 + timedelta(hours=1),
    )
