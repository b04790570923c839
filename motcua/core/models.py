"""The shapes every domain app shares: the append-only event of an audited thing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventBase(models.Model):
    """One immutable line of a thing's history: when, who (None: the citizen or the system),
    what (`kind`, a stable English value), from which status to which, and a note a person
    reads. A subclass adds the foreign key to its thing and the choices of `kind`; the services
    write exactly one event per change, in the change's transaction (STYLE §2)."""

    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("việc"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Events are append-only; write a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Events are append-only and cannot be deleted.")


class PeriodClaim(models.Model):
    """One run of a periodic task in one period, across every worker of every machine: the
    first worker to insert the row runs the task, the others skip it (`motcua.core.periodic`).
    The rows are also the record that each periodic task ran once per period."""

    task = models.CharField(_("tác vụ"), max_length=100)
    period_start = models.DateTimeField(_("đầu kỳ"))
    node = models.CharField(_("máy chạy"), max_length=200)
    claimed_at = models.DateTimeField(_("nhận lúc"))
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt chạy tác vụ định kỳ")
        verbose_name_plural = _("lượt chạy tác vụ định kỳ")
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="core_claim_once")
        ]

    def __str__(self) -> str:
        return f"{self.task} @ {self.period_start:%Y-%m-%d %H:%M}"


class Lock(models.Model):
    """A named row that a transaction locks (`motcua.core.periodic.exclusive`) so that two
    runs of the same job serialise on every database instead of colliding half-way."""

    name = models.CharField(_("tên"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("khóa")
        verbose_name_plural = _("khóa")

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """The last sign of life of a background worker (one row per worker process), read by
    /readyz."""

    node = models.CharField(_("máy chạy"), max_length=200, primary_key=True)
    seen_at = models.DateTimeField(_("lần cuối"))

    class Meta:
        verbose_name = _("nhịp của tiến trình nền")
        verbose_name_plural = _("nhịp của tiến trình nền")

    def __str__(self) -> str:
        return self.node
