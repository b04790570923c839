"""Satisfaction surveys (DOMAIN §11.1-11.2, D13): the rating of a dossier after its result, at
three levels (`Overall`) with a comment, at most one per dossier. The ratings of the officer at
the counter will join this app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class Overall(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class Rating(models.Model):
    """One rating of one dossier, once its result is ready or returned (the citizen's own, or a
    paper survey entered by staff)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="rating", verbose_name=_("hồ sơ")
    )
    overall = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Overall.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=("at",), name="surveys_rating_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.get_overall_display()}"


class CounterReason(models.TextChoices):
    """The optional reasons of a counter rating (D19, the Huế criteria)."""

    ATTITUDE = "attitude", _("Thái độ phục vụ")
    HARASSMENT = "harassment", _("Gây phiền hà, sách nhiễu")
    COMMUNICATION = "communication", _("Hướng dẫn, giao tiếp chưa rõ ràng")
    TIME = "time", _("Thời gian chờ, thời gian giải quyết")


class CounterRating(models.Model):
    """The citizen's rating of the officer who served one queue ticket (D19), on the tablet
    facing them: once per ticket, tied to the officer, counter, ticket and dossier; written only
    by `rate_counter_ticket`, never altered."""

    ticket = models.OneToOneField(
        "queueing.Ticket",
        on_delete=models.PROTECT,
        related_name="rating",
        verbose_name=_("số thứ tự"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    counter = models.ForeignKey(
        "queueing.Counter", on_delete=models.PROTECT, related_name="+", verbose_name=_("quầy")
    )
    officer = models.ForeignKey(
        "org.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("công chức")
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    overall = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Overall.choices)
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá công chức tại quầy")
        verbose_name_plural = _("đánh giá công chức tại quầy")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=("unit", "at"), name="surveys_counter_rating_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id} — {self.get_overall_display()}"
