"""Late steps and overtime as an Excel workbook (issue 22, item 1): a sheet of the groups with a
total row, and a sheet of every late step (dossier, procedure, step, unit, officer, due, end,
overtime in working hours). Values, not formulas, so any reader sees the same figures."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from motcua.org.models import Staff, Unit
from motcua.reports.attribution import OvertimeReport, hours_decimal
from motcua.reports.selectors import VN
from motcua.reports.xlsx import BOLD, BOX, CENTER, HEAD_FILL, TOTAL_FILL

GROUP_TITLES = {
    "unit": gettext_lazy("Đơn vị"),
    "division": gettext_lazy("Phòng, bộ phận"),
    "officer": gettext_lazy("Cán bộ"),
    "procedure": gettext_lazy("Thủ tục"),
    "step": gettext_lazy("Bước xử lý"),
}


def overtime_workbook(result: OvertimeReport) -> bytes:
    wb = Workbook()
    ws = wb.active or wb.create_sheet()
    ws.title = _("Tổng hợp")
    ws.append([_("BÁO CÁO HỒ SƠ, BƯỚC XỬ LÝ CHẬM MUỘN")])
    ws.append(
        [
            _("Kỳ báo cáo: từ %(start)s đến hết %(end)s")
            % {
                "start": f"{result.period.start:%d/%m/%Y}",
                "end": f"{result.period.end.fromordinal(result.period.end.toordinal() - 1):%d/%m/%Y}",
            }
        ]
    )
    ws.append([])
    head = [
        _("Mã"),
        str(GROUP_TITLES[result.group_by]),
        _("Số bước chậm"),
        _("Số giờ làm việc vượt"),
        _("Số hồ sơ có bước chậm"),
    ]
    ws.append(head)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BOX, CENTER
    for r in [*result.rows, result.total]:
        ws.append([r.key, r.name, r.late_steps, float(r.overtime_working_hours), r.dossiers_late])
        for cell in ws[ws.max_row]:
            cell.border = BOX
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, TOTAL_FILL
    for col, width in zip("ABCDE", (16, 48, 14, 18, 18), strict=True):
        ws.column_dimensions[col].width = width

    detail = wb.create_sheet(_("Chi tiết bước chậm"))
    detail.append(
        [
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Bước"),
            _("Tên bước"),
            _("Đơn vị thực hiện"),
            _("Cán bộ thụ lý"),
            _("Hạn của bước"),
            _("Hoàn thành / đến lúc"),
            _("Số giờ làm việc vượt"),
        ]
    )
    for cell in detail[1]:
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BOX, CENTER
    units = dict(
        Unit.objects.filter(pk__in={s.unit_id for s in result.steps}).values_list("pk", "name")
    )
    staff = {
        st.pk: st.get_full_name() or st.username
        for st in Staff.objects.filter(
            pk__in={s.assignee_id for s in result.steps if s.assignee_id}
        )
    }
    for s in result.steps:
        detail.append(
            [
                s.dossier_code,
                s.procedure_code,
                s.order,
                s.name,
                units.get(s.unit_id, ""),
                staff.get(s.assignee_id or 0, ""),
                timezone.localtime(s.due_at, VN).strftime("%d/%m/%Y %H:%M"),
                timezone.localtime(s.end_at, VN).strftime("%d/%m/%Y %H:%M")
                + (" " + _("(đang xử lý)") if s.open else ""),
                float(hours_decimal(s.overtime)),
            ]
        )
    for col, width in zip("ABCDEFGHI", (22, 14, 6, 36, 30, 26, 17, 28, 18), strict=True):
        detail.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
