"""Monthly roll-ups of the dossier report (DESIGN, Data at scale).

`MonthlyFact` holds, for one finished month, the report's counts of one (unit, procedure
version) — and, with ``procedure`` empty, of the whole unit — exactly as the raw selector
computes them for that month (`motcua.reports.selectors.grouped_counts`). `FactMonth` says which
months are rolled up. `DailyFact` holds the same counts of one finished day for one whole unit
(no procedure: a period that starts or ends inside a month is read from the days of its partial
months and the months in between). `motcua.reports.facts` keeps them (a nightly task refreshes the last months
and any month not yet rolled up) and reads them for the whole months of a report; a test checks
them against the raw tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.org.models import Unit


class FactMonth(models.Model):
    """A month whose roll-up rows are complete, and when they were computed."""

    month = models.DateField(_("tháng"), unique=True)
    refreshed_at = models.DateTimeField(_("tính lúc"))
    dossier_watermark = models.BigIntegerField(
        _("mã dòng hồ sơ lớn nhất khi tính"),
        default=0,
        help_text=_("Hồ sơ nhập sau (id lớn hơn) vào tháng này nghĩa là số liệu cần tính lại."),
    )
    days = models.BooleanField(
        _("có số liệu theo ngày"),
        default=False,
        help_text=_("Các ngày của tháng đã được tổng hợp theo từng đơn vị (DailyFact)."),
    )

    class Meta:
        verbose_name = _("tháng đã tổng hợp")
        verbose_name_plural = _("các tháng đã tổng hợp")
        ordering = ("month",)

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class MonthlyFact(models.Model):
    """The counts of one month for one unit and one procedure version (or the whole unit)."""

    month = models.DateField(_("tháng"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    carried_over = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_not_eligible = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    in_progress_overdue = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    green_lane_received = models.IntegerField(default=0)
    green_lane_resolved = models.IntegerField(default=0)
    green_lane_met_statutory = models.IntegerField(default=0)
    green_lane_met_target = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp tháng")
        verbose_name_plural = _("số liệu tổng hợp tháng")
        constraints = [
            models.UniqueConstraint(
                fields=("month", "unit", "procedure"), name="monthly_fact_unique"
            ),
            models.UniqueConstraint(
                fields=("month", "unit"),
                condition=models.Q(procedure__isnull=True),
                name="monthly_fact_unit_total_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=("month", "unit"),
                condition=models.Q(procedure__isnull=True),
                name="monthly_fact_unit_totals",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.unit_id} {self.procedure_id or '*'}"


class DailyFact(models.Model):
    """The counts of one local day for one whole unit, as the raw selector computes them for the
    period ``[day, day + 1)``: the flows of that day, ``carried_over`` open at its start,
    ``in_progress`` and ``in_progress_overdue`` at its end."""

    day = models.DateField(_("ngày"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    carried_over = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_not_eligible = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    in_progress_overdue = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    green_lane_received = models.IntegerField(default=0)
    green_lane_resolved = models.IntegerField(default=0)
    green_lane_met_statutory = models.IntegerField(default=0)
    green_lane_met_target = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp ngày")
        verbose_name_plural = _("số liệu tổng hợp ngày")
        constraints = [
            models.UniqueConstraint(fields=("day", "unit"), name="daily_fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id}"
