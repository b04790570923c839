"""The feedback desk through its services: intake, classification and routing, answer, close,
return, publication, escalation. Time is pinned through `now=`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Event
from motcua.feedback import selectors
from motcua.feedback.errors import (
    ContentTooLong,
    FeedbackAlreadyAnswered,
    FeedbackClosed,
    FeedbackNotAnswered,
    FeedbackNotClassified,
    FeedbackNotFound,
    IdempotencyConflict,
    UnitNotFound,
    UnknownCategory,
    UnknownDossier,
)
from motcua.feedback.models import CategorySetting, Feedback, FeedbackEvent, Route
from motcua.feedback.services import (
    Idempotency,
    Sender,
    answer_feedback,
    classify_feedback,
    close_feedback,
    escalate_feedback,
    escalate_overdue_feedback,
    publish_feedback,
    receive_feedback,
    return_feedback,
    secret_of,
)
from motcua.org.models import FocalPoint
from tests.factories import make_staff
from tests.feedback.factories import MONDAY_9, VN, make_dossier, make_feedback, make_routed

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


# ------------------------------------------------------------------------------- acceptance
def test_a_hotline_call_about_a_late_green_lane_dossier_is_routed_and_overdue_after_48_hours(
    office,
):
    dossier = make_dossier(unit=office.ward, green_lane=True)
    item = make_feedback(
        actor=office.receptionist,
        channel="hotline",
        content="Hồ sơ làn xanh của công ty tôi đã quá hẹn 5 ngày.",
        dossier_code=dossier.code,
    )
    assert item.status == "new" and item.entered_by == office.receptionist
    assert item.intake_unit == office.ward and item.dossier == dossier

    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        now=MONDAY_9 + H,
    )
    assert item.unit == office.ward  # the dossier's unit
    assert item.green_lane is True
    assert item.respond_by == MONDAY_9 + 48 * H  # counted from reception, clock hours
    assert item.status == "classified"  # the receiving unit handles it itself

    timeline = Event.objects.filter(dossier=dossier, kind="feedback")
    assert timeline.count() == 1
    assert f"số {item.pk}" in timeline.get().note

    assert not item.is_overdue(MONDAY_9 + 48 * H)
    assert item.is_overdue(MONDAY_9 + 48 * H + timedelta(seconds=1))
    overdue_now = selectors.list_feedback(office.head, now=MONDAY_9 + 49 * H, overdue=True)
    assert list(overdue_now) == [item]
    assert not selectors.list_feedback(office.head, now=MONDAY_9 + 47 * H, overdue=True).exists()


def test_out_of_scope_feedback_closes_with_guidance_and_is_never_overdue(office):
    item = make_feedback(actor=office.supervisor, content="Tôi muốn tố giác một vụ trộm xe.")
    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="other",
        in_scope=False,
        note="Đây là tố giác tội phạm: xin liên hệ Công an phường, số 069.123.456.",
        now=MONDAY_9 + H,
    )
    assert item.status == "closed" and item.in_scope is False
    assert item.answer.startswith("Đây là tố giác tội phạm")
    assert item.respond_by is None
    far = MONDAY_9 + timedelta(days=365)
    assert not item.is_overdue(far)
    assert not selectors.list_feedback(office.supervisor, now=far, overdue=True).exists()
    assert FeedbackEvent.objects.filter(feedback=item, kind="out_of_scope").exists()


def test_out_of_scope_needs_the_guidance(office):
    item = make_feedback(actor=office.supervisor)
    with pytest.raises(InvalidInput) as refused:
        classify_feedback(
            feedback_id=item.pk, actor=office.supervisor, category="other", in_scope=False
        )
    assert refused.value.field == "note" and "hướng dẫn" in str(refused.value)


# ------------------------------------------------------------------------------------- intake
def test_every_intake_keeps_its_channel_time_and_who_entered_it(office):
    for channel in ("hotline", "zalo", "viber", "email", "letter", "in_person", "ihanoi"):
        item = make_feedback(actor=office.receptionist, channel=channel, now=MONDAY_9 + H)
        assert item.channel == channel
        assert item.received_at == MONDAY_9
        assert item.created_at == MONDAY_9 + H
        assert item.entered_by == office.receptionist
        assert item.events.get().kind == "received"


def test_public_intake_has_no_operator_and_is_received_now(office):
    received = receive_feedback(
        actor=None,
        channel="web",
        content="Cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục.",
        sender=Sender(name="Trần Văn Dân", email="dan@example.vn"),
        unit_code="TP.01",
        received_at=MONDAY_9 - 24 * H,  # ignored: the public cannot backdate
        now=MONDAY_9,
    )
    item = received.feedback
    assert item.entered_by is None and item.received_at == MONDAY_9
    assert item.intake_unit == office.ward == item.concerned_unit
    assert item.respond_by == MONDAY_9 + 48 * H
    assert selectors.get_feedback_by_secret(item.pk, received.secret) == item
    assert selectors.get_feedback_by_secret(item.pk, "WRONGWRONG") is None
    assert secret_of(item) == received.secret


def test_oversized_content_is_refused_with_a_clear_message(office):
    with pytest.raises(ContentTooLong) as refused:
        make_feedback(actor=office.receptionist, content="x" * 5001)
    assert "5.000" in str(refused.value) and refused.value.field == "content"
    assert not Feedback.objects.exists()


def test_empty_content_an_unknown_dossier_and_a_bad_email_are_refused(office):
    with pytest.raises(InvalidInput, match="nội dung"):
        make_feedback(actor=office.receptionist, content="   ")
    with pytest.raises(UnknownDossier, match="TP.01-000000-9999"):
        make_feedback(actor=office.receptionist, dossier_code="TP.01-000000-9999")
    with pytest.raises(InvalidInput, match="thư điện tử"):
        make_feedback(actor=office.receptionist, sender=Sender(email="không-phải-email"))


def test_a_time_of_reception_in_the_future_is_refused(office):
    with pytest.raises(InvalidInput, match="tương lai"):
        make_feedback(actor=office.receptionist, received_at=MONDAY_9 + H, now=MONDAY_9)


def test_only_the_desk_and_supervisors_enter_feedback(office):
    with pytest.raises(NotAllowed):
        make_feedback(actor=office.specialist)
    with pytest.raises(UnitNotFound):
        make_feedback(actor=office.receptionist, intake_unit_code="TP.02")


def test_the_same_idempotency_key_returns_the_first_item_and_refuses_another_body(office):
    key = Idempotency(scope="staff:1", key="abc", request_hash="h1")
    first = receive_feedback(
        actor=office.receptionist, channel="hotline", content="A", idempotency=key, now=MONDAY_9
    )
    again = receive_feedback(
        actor=office.receptionist, channel="hotline", content="A", idempotency=key, now=MONDAY_9
    )
    assert again.replayed and again.feedback.pk == first.feedback.pk
    assert again.secret == first.secret
    assert Feedback.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        receive_feedback(
            actor=office.receptionist,
            channel="hotline",
            content="B",
            idempotency=Idempotency(scope="staff:1", key="abc", request_hash="h2"),
            now=MONDAY_9,
        )


def test_control_characters_never_reach_the_database(office):
    item = make_feedback(actor=office.receptionist, content="Nội dung\x00 có\x1b ký tự lạ")
    assert item.content == "Nội dung có ký tự lạ"


# ----------------------------------------------------------------------------- classification
def test_feedback_about_another_unit_is_forwarded_through_its_route(office):
    focal = FocalPoint.objects.create(
        unit=office.city, title="Trưởng phòng Kiểm tra", person="Cù Ngọc Trang", phone="0768221221"
    )
    Route.objects.create(
        unit=office.other_ward,
        category="harassment",
        responsible_unit=office.city,
        focal_point=focal,
        assignee=office.leader,
    )
    item = make_feedback(actor=office.supervisor)
    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="harassment",
        in_scope=True,
        unit_code="TP.02",
        now=MONDAY_9 + H,
    )
    assert item.status == "forwarded"
    assert item.concerned_unit == office.other_ward
    assert item.unit == office.city and item.focal_point == focal
    assert item.assignee == office.leader
    # Without a route for a category, the unit concerned answers itself.
    other = make_feedback(actor=office.supervisor)
    other = classify_feedback(
        feedback_id=other.pk,
        actor=office.supervisor,
        category="conduct",
        in_scope=True,
        unit_code="TP.02",
    )
    assert other.unit == office.other_ward


def test_regulation_feedback_is_forwarded_within_five_working_days(office):
    item = make_feedback(actor=office.supervisor, received_at=MONDAY_9)
    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="regulation",
        in_scope=True,
        unit_code="TP",
        now=MONDAY_9 + H,
    )
    assert item.respond_by.astimezone(VN).strftime("%d/%m/%Y %H:%M") == "09/03/2026 17:00"


def test_the_clock_of_a_category_is_an_administrator_setting(office):
    CategorySetting.objects.filter(category="conduct").update(clock="working_hours", amount=8)
    item = make_feedback(actor=office.supervisor)
    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="conduct",
        in_scope=True,
        unit_code="TP.01",
    )
    assert item.respond_by.astimezone(VN).strftime("%d/%m/%Y %H:%M") == "03/03/2026 09:00"


def test_classifying_needs_a_category_and_a_unit(office):
    item = make_feedback(actor=office.supervisor)
    with pytest.raises(UnknownCategory):
        classify_feedback(feedback_id=item.pk, actor=office.supervisor, category="", in_scope=True)
    with pytest.raises(UnknownCategory, match="delay"):
        classify_feedback(
            feedback_id=item.pk, actor=office.supervisor, category="slow", in_scope=True
        )
    with pytest.raises(InvalidInput) as refused:
        classify_feedback(
            feedback_id=item.pk, actor=office.supervisor, category="delay", in_scope=True
        )
    assert refused.value.field == "unit"


def test_a_dossier_can_be_linked_when_classifying(office):
    dossier = make_dossier(unit=office.other_ward, green_lane=False)
    item = make_feedback(actor=office.supervisor)
    item = classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        dossier_code=dossier.code,
        green_lane=True,  # the caller says so; the operator ticks it
    )
    assert item.dossier == dossier and item.unit == office.other_ward
    assert item.green_lane is True and item.status == "forwarded"
    assert Event.objects.filter(dossier=dossier, kind="feedback").count() == 1


def test_only_a_supervisor_of_the_receiving_unit_classifies(office):
    item = make_feedback(actor=office.receptionist)
    with pytest.raises(NotAllowed):
        classify_feedback(
            feedback_id=item.pk,
            actor=office.receptionist,
            category="delay",
            in_scope=True,
            unit_code="TP.01",
        )
    with pytest.raises(FeedbackNotFound):
        classify_feedback(
            feedback_id=item.pk,
            actor=office.outsider,
            category="delay",
            in_scope=True,
            unit_code="TP.01",
        )


# --------------------------------------------------------------------------- answer and close
def test_the_unit_answers_and_the_supervisor_closes(office):
    item = make_routed(office)
    item = answer_feedback(
        feedback_id=item.pk,
        actor=office.head,
        answer="Đã trả kết quả ngày 03/03; phường xin lỗi ông/bà.",
        publish=True,
        now=MONDAY_9 + 5 * H,
    )
    assert item.status == "answered" and item.published and item.answered_by == office.head
    assert item.answered_late is False
    assert not item.is_overdue(MONDAY_9 + 100 * H)
    item = close_feedback(feedback_id=item.pk, actor=office.supervisor, now=MONDAY_9 + 6 * H)
    assert item.status == "closed" and item.closed_at == MONDAY_9 + 6 * H
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == ["received", "classified", "answered", "closed"]
    assert list(selectors.list_published_feedback()) == [item]


def test_a_returned_answer_goes_back_to_the_unit_and_the_clock_keeps_running(office):
    item = make_routed(office)
    answer_feedback(feedback_id=item.pk, actor=office.specialist, answer="Đã xem.", publish=True)
    with pytest.raises(InvalidInput, match="lý do"):
        return_feedback(feedback_id=item.pk, actor=office.supervisor, note=" ")
    item = return_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        note="Trả lời chưa nêu lý do chậm và thời điểm trả kết quả.",
    )
    assert item.status == "classified" and item.published is False
    assert item.respond_by == MONDAY_9 + 48 * H
    assert item.is_overdue(MONDAY_9 + 49 * H)
    with pytest.raises(FeedbackNotAnswered):
        return_feedback(feedback_id=item.pk, actor=office.supervisor, note="Lần nữa")


def test_answers_are_given_only_in_the_right_state_by_the_right_people(office):
    fresh = make_feedback(actor=office.receptionist)
    with pytest.raises(FeedbackNotFound):  # not routed to the unit yet: not on its board
        answer_feedback(feedback_id=fresh.pk, actor=office.head, answer="x")
    item = make_routed(office)
    with pytest.raises(NotAllowed):
        answer_feedback(feedback_id=item.pk, actor=office.supervisor, answer="x")
    with pytest.raises(FeedbackNotFound):
        answer_feedback(feedback_id=item.pk, actor=office.outsider, answer="x")
    with pytest.raises(InvalidInput):
        answer_feedback(feedback_id=item.pk, actor=office.head, answer="  ")
    with pytest.raises(FeedbackNotAnswered):
        close_feedback(feedback_id=item.pk, actor=office.supervisor)
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="Đã xử lý.")
    with pytest.raises(FeedbackAlreadyAnswered):
        answer_feedback(feedback_id=item.pk, actor=office.head, answer="Lần nữa.")
    with pytest.raises(FeedbackAlreadyAnswered):
        classify_feedback(
            feedback_id=item.pk, actor=office.supervisor, category="delay", in_scope=True
        )
    with pytest.raises(NotAllowed):
        close_feedback(feedback_id=item.pk, actor=office.head)
    close_feedback(feedback_id=item.pk, actor=office.supervisor)
    with pytest.raises(FeedbackClosed):
        close_feedback(feedback_id=item.pk, actor=office.supervisor)


def test_an_unclassified_item_cannot_be_answered_by_its_unit(office):
    item = make_feedback(actor=office.receptionist)
    Feedback.objects.filter(pk=item.pk).update(unit=office.ward)
    with pytest.raises(FeedbackNotClassified):
        answer_feedback(feedback_id=item.pk, actor=office.head, answer="x")


def test_publication_can_be_withdrawn(office):
    item = make_routed(office)
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="Đã xử lý.")
    publish_feedback(feedback_id=item.pk, actor=office.supervisor, published=True)
    assert selectors.list_published_feedback().count() == 1
    publish_feedback(feedback_id=item.pk, actor=office.leader, published=False)
    assert not selectors.list_published_feedback().exists()
    with pytest.raises(FeedbackNotFound):
        publish_feedback(feedback_id=item.pk, actor=office.outsider, published=True)


# --------------------------------------------------------------------------------- escalation
def test_an_overdue_item_escalates_once_to_the_leader_of_its_unit(office):
    item = make_routed(office)
    assert escalate_overdue_feedback(now=MONDAY_9 + 47 * H) == 0
    assert escalate_overdue_feedback(now=MONDAY_9 + 49 * H) == 1
    item.refresh_from_db()
    assert item.escalated_to == office.leader and item.escalated_at == MONDAY_9 + 49 * H
    assert "Trần Văn Lãnh" in item.events.get(kind="escalated").note
    assert escalate_overdue_feedback(now=MONDAY_9 + 50 * H) == 0
    assert not escalate_feedback(feedback_id=item.pk, now=MONDAY_9 + 50 * H)


def test_the_board_counts_open_overdue_and_green_lane_items_per_unit(office):
    dossier = make_dossier(unit=office.ward, green_lane=True)
    item = make_feedback(actor=office.receptionist, dossier_code=dossier.code)
    classify_feedback(feedback_id=item.pk, actor=office.supervisor, category="delay", in_scope=True)
    make_routed(office, received_at=MONDAY_9 + 10 * H, now=MONDAY_9 + 10 * H)
    counts = selectors.count_open_feedback([office.ward.pk], now=MONDAY_9 + 49 * H)
    assert counts == {office.ward.pk: {"open": 2, "overdue": 1, "green_lane": 1}}


def test_escalated_items_are_on_the_leaders_board(office):
    leader_elsewhere = make_staff(roles=[(office.city, "leader")])
    Route.objects.create(unit=office.ward, responsible_unit=office.city)
    item = make_routed(office)
    assert item.unit == office.city
    escalate_overdue_feedback(now=MONDAY_9 + 49 * H)
    assert item in selectors.feedback_visible_to(leader_elsewhere)


# --------------------------------------------------------------------------------- visibility
def test_an_outsider_sees_nothing_of_another_ward(office):
    make_feedback(actor=office.receptionist)
    make_routed(office)
    assert not selectors.feedback_visible_to(office.outsider).exists()
    assert selectors.feedback_visible_to(office.supervisor).count() == 2
    assert selectors.feedback_visible_to(office.receptionist).count() == 2


def test_the_city_supervisor_sees_the_public_items_that_reached_no_desk(office):
    city_supervisor = make_staff(roles=[(office.city, "supervisor")])
    item = receive_feedback(actor=None, channel="web", content="Góp ý chung.").feedback
    assert item.intake_unit is None
    assert list(selectors.feedback_visible_to(city_supervisor)) == [item]
    assert not selectors.feedback_visible_to(office.supervisor).exists()
    assert selectors.may_supervise(city_supervisor, item)


# ------------------------------------------------------------------------- calendar changes
def test_a_new_day_off_moves_a_working_day_clock_but_not_a_clock_hours_one(office):
    from datetime import date

    from motcua.workdays.services import add_calendar_exception

    regulation = make_feedback(actor=office.supervisor)
    regulation = classify_feedback(
        feedback_id=regulation.pk,
        actor=office.supervisor,
        category="regulation",
        in_scope=True,
        unit_code="TP.01",
    )
    delay = make_routed(office)
    add_calendar_exception(
        on=date(2026, 3, 4),
        kind="HOLIDAY",
        name="Nghỉ đột xuất (thử nghiệm)",
        legal_reference="Thông báo thử nghiệm",
        actor=None,
    )
    regulation.refresh_from_db()
    delay.refresh_from_db()
    assert regulation.respond_by.astimezone(VN).strftime("%d/%m/%Y %H:%M") == "10/03/2026 17:00"
    assert regulation.events.filter(kind="respond_by_recomputed").count() == 1
    assert delay.respond_by == MONDAY_9 + 48 * H
