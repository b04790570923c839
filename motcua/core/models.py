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
