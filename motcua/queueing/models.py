"""The counter floor of a unit (DOMAIN §14, §17 D17-D19): service groups and the counters that
serve them, the unit's priority list, queue tickets numbered per unit, group and working day,
online bookings of a time slot, and the append-only events of every ticket and booking."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure
from motcua.core.models import EventBase
from motcua.dossiers.models import Dossier
from motcua.org.models import Unit


class CallOrder(models.TextChoices):
    """Who is called first at a group's counters (issue 17 §4, configurable per group)."""

    BOOKED_PRIORITY_ARRIVAL = (
        "booked_priority_arrival",
        _("Đặt lịch đúng giờ, rồi ưu tiên, rồi thứ tự đến"),
    )
    PRIORITY_BOOKED_ARRIVAL = (
        "priority_booked_arrival",
        _("Ưu tiên, rồi đặt lịch đúng giờ, rồi thứ tự đến"),
    )
    ARRIVAL = "arrival", _("Chỉ theo thứ tự đến")


class ServiceGroup(models.Model):
    """A queue of a unit's floor: the procedures or fields it serves, its ticket letter, its
    booking slots and its call order."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="service_groups"
    )
    code = models.SlugField(_("mã nhóm"), max_length=20)
    name = models.CharField(_("tên nhóm dịch vụ"), max_length=200)
    letter = models.CharField(
        _("chữ đầu số"), max_length=2, help_text=_("Chữ in trước số thứ tự, ví dụ A → A015.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("thủ tục"), blank=True, related_name="service_groups"
    )
    fields = models.ManyToManyField(
        Field, verbose_name=_("lĩnh vực"), blank=True, related_name="service_groups"
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("độ dài khung giờ đặt lịch (phút)"), default=30
    )
    slot_capacity = models.PositiveSmallIntegerField(_("số lượt đặt mỗi khung giờ"), default=4)
    call_order = models.CharField(
        _("thứ tự gọi"),
        max_length=30,
        choices=CallOrder.choices,
        default=CallOrder.BOOKED_PRIORITY_ARRIVAL,
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = _("nhóm dịch vụ")
        ordering = ("unit", "order", "code")
        constraints = [
            models.UniqueConstraint(fields=("unit", "code"), name="queueing_group_unit_code"),
            models.UniqueConstraint(fields=("unit", "letter"), name="queueing_group_unit_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} — {self.name}"


class Counter(models.Model):
    """A counter (quầy) of a unit and the groups it serves; ``officer`` is who called at it last
    and has not left it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=100, blank=True)
    groups = models.ManyToManyField(
        ServiceGroup, verbose_name=_("nhóm dịch vụ"), related_name="counters"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công chức đang ngồi quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counters",
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ("unit", "number")
        constraints = [
            models.UniqueConstraint(fields=("unit", "number"), name="queueing_counter_unit_number")
        ]

    def __str__(self) -> str:
        return self.name or str(_("Quầy %(n)s") % {"n": self.number})


class PriorityCategory(models.Model):
    """One line of a unit's priority list (D17): who is served before ordinary tickets."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="priority_list"
    )
    code = models.SlugField(_("mã"), max_length=30)
    name = models.CharField(_("đối tượng ưu tiên"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("đối tượng ưu tiên")
        verbose_name_plural = _("danh sách đối tượng ưu tiên")
        ordering = ("unit", "order", "code")
        constraints = [
            models.UniqueConstraint(fields=("unit", "code"), name="queueing_priority_unit_code")
        ]

    def __str__(self) -> str:
        return self.name


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đang được gọi")
    SERVED = "served", _("Đã phục vụ")
    NO_SHOW = "no_show", _("Vắng mặt")


class Ticket(models.Model):
    """A queue ticket: ``number`` (A015) is the group's letter and its sequence of the unit's
    working day. ``rank`` orders the waiting line (0 first) under the group's call order;
    ``counter`` is where it is called (or, while waiting, the counter it was transferred to)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm dịch vụ"), on_delete=models.PROTECT, related_name="+"
    )
    issued_group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm lấy số"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("ngày"))
    sequence = models.PositiveIntegerField(_("số thứ tự trong ngày"))
    number = models.CharField(_("số"), max_length=10)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    rank = models.PositiveSmallIntegerField(_("hạng gọi"), default=2)
    priority = models.ForeignKey(
        PriorityCategory,
        verbose_name=_("đối tượng ưu tiên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    booked = models.BooleanField(_("đặt lịch, đến đúng giờ"), default=False)
    token = models.CharField(_("mã phiếu"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("lấy số lúc"))
    called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("số lần gọi"), default=0)
    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), null=True, blank=True, on_delete=models.PROTECT
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công chức phục vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue_tickets",
    )
    wait_seconds = models.PositiveIntegerField(_("thời gian chờ (giây)"), null=True, blank=True)
    service_seconds = models.PositiveIntegerField(
        _("thời gian phục vụ (giây)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ("-issued_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("issued_group", "day", "sequence"), name="queueing_ticket_group_day_seq"
            )
        ]
        indexes = [
            models.Index(fields=("group", "status", "rank", "issued_at"), name="queueing_line"),
            models.Index(fields=("unit", "day"), name="queueing_ticket_unit_day"),
        ]

    def __str__(self) -> str:
        return self.number


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CHECKED_IN = "checked_in", _("Đã đến lấy số")
    CANCELLED = "cancelled", _("Đã hủy")


class Booking(models.Model):
    """An online booking of a slot of a group (D18); its code is checked in at the kiosk once."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm dịch vụ"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("mã đặt lịch"), max_length=12, unique=True)
    slot_start = models.DateTimeField(_("bắt đầu khung giờ"))
    slot_end = models.DateTimeField(_("kết thúc khung giờ"))
    name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_at = models.DateTimeField(_("đặt lúc"))
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("số đã lấy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booking",
    )

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ("-slot_start", "-pk")
        indexes = [models.Index(fields=("group", "slot_start"), name="queueing_booking_slot")]

    def __str__(self) -> str:
        return self.code


class FloorEvent(EventBase):
    """One change of the floor: a ticket issued, called, recalled, absent, transferred, served;
    a booking made, checked in or cancelled; a counter taken or left."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Lấy số")
        CALLED = "called", _("Gọi số")
        RECALLED = "recalled", _("Gọi lại")
        NO_SHOW = "no_show", _("Vắng mặt")
        TRANSFERRED = "transferred", _("Chuyển")
        RECEIVED = "received", _("Tiếp nhận hồ sơ")
        SERVED = "served", _("Xong")
        BOOKED = "booked", _("Đặt lịch")
        CHECKED_IN = "checked_in", _("Đến theo lịch")
        CANCELLED = "cancelled", _("Hủy lịch")
        LEFT = "left", _("Rời quầy")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sự kiện quầy")
        verbose_name_plural = _("sự kiện quầy")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=("unit", "at"), name="queueing_event_unit_at")]
