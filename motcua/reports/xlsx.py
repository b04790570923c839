"""The dossier report as an Excel workbook (openpyxl), in the layout of an official periodic
report: a title, the unit, the period, two header rows with the column groups (to resolve,
received, resolved, in progress, stopped, apologies, rates), one line per group and a total row.
Values are written as numbers (no formulas), so any reader sees the same figures."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.reports.selectors import VN, Report, Row

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def columns() -> list[tuple[str, str, str]]:
    """(group, column title, figure) of each figure column, in order."""
    to_resolve = _("Số hồ sơ phải giải quyết")
    resolved = _("Số hồ sơ đã giải quyết")
    in_progress = _("Số hồ sơ đang giải quyết")
    rates = _("Tỷ lệ (%)")
    return [
        (to_resolve, _("Tổng số"), "to_resolve"),
        (to_resolve, _("Kỳ trước chuyển qua"), "carried_over"),
        (to_resolve, _("Tiếp nhận trong kỳ"), "received"),
        (to_resolve, _("trong đó: trực tuyến"), "received_online"),
        (to_resolve, _("trực tiếp"), "received_counter"),
        (to_resolve, _("bưu chính"), "received_postal"),
        (resolved, _("Tổng số"), "resolved"),
        (resolved, _("Trước hạn"), "resolved_early"),
        (resolved, _("Đúng hạn"), "resolved_on_time"),
        (resolved, _("Quá hạn"), "resolved_late"),
        (in_progress, _("Tổng số"), "in_progress"),
        (in_progress, _("Trong hạn"), "in_progress_in_time"),
        (in_progress, _("Quá hạn"), "in_progress_overdue"),
        (_("Dừng giải quyết"), "", "stopped"),
        (_("Phiếu xin lỗi đã ký"), "", "apologies"),
        (_("Làn xanh"), _("Tiếp nhận"), "green_lane_received"),
        (_("Làn xanh"), _("Đã giải quyết"), "green_lane_resolved"),
        (_("Làn xanh"), _("Đạt thời hạn làn xanh"), "green_lane_met_target"),
        (rates, _("Giải quyết"), "resolution_rate"),
        (rates, _("Đúng hạn và trước hạn"), "on_time_rate"),
        (rates, _("Nộp trực tuyến"), "online_rate"),
    ]


GROUP_TITLES = {
    "unit": "Đơn vị",
    "procedure": "Thủ tục hành chính",
    "field": "Lĩnh vực",
    "month": "Tháng",
}


def _value(row: Row, figure: str) -> float | int | None:
    value = row.as_dict()[figure]
    if value is None:
        return None
    return float(value) if figure.endswith("_rate") else int(value)


#: What a spreadsheet program reads as the start of a formula (or of DDE) in a typed cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_only(ws: Any) -> None:
    """Every text cell is written as text, never as a formula: openpyxl turns a string that
    starts with "=" into a formula, so a unit or procedure named ``=HYPERLINK(...)`` would run
    in the reader's Excel. Such cells are typed as strings and shown with a leading quote."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def build_workbook(
    report: Report, *, unit_name: str, generated_at: datetime | None = None
) -> bytes:
    """The report as .xlsx bytes."""
    generated_at = generated_at or timezone.now()
    cols = columns()
    width = 2 + len(cols)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook always has its sheet
    ws.title = _("Báo cáo")
    last = get_column_letter(width)

    def banner(row: int, text: str, *, size: int = 11, bold: bool = False) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center")

    banner(1, _("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"), size=14, bold=True)
    banner(2, _("Đơn vị: %(unit)s") % {"unit": unit_name}, bold=True)
    last_day = report.period.end - timedelta(days=1)
    banner(
        3,
        _("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s")
        % {"start": f"{report.period.start:%d/%m/%Y}", "end": f"{last_day:%d/%m/%Y}"},
    )
    banner(
        4,
        _("Số liệu tính đến %(at)s; tỷ lệ làm tròn %(mode)s")
        % {
            "at": f"{timezone.localtime(report.as_of, VN):%H:%M %d/%m/%Y}",
            "mode": _("theo quy tắc thông thường (từ 5 trở lên thì làm tròn lên)")
            if report.total.mode == "half_up"
            else _("bằng cách bỏ phần lẻ"),
        },
    )
    head1, head2 = 6, 7
    for col, title in ((1, _("STT")), (2, _(GROUP_TITLES[report.group_by]))):
        ws.merge_cells(start_row=head1, start_column=col, end_row=head2, end_column=col)
        ws.cell(row=head1, column=col, value=title)
    # group headers: merge consecutive columns of the same group
    start = 0
    while start < len(cols):
        end = start
        while end + 1 < len(cols) and cols[end + 1][0] == cols[start][0]:
            end += 1
        c1, c2 = 3 + start, 3 + end
        if cols[start][1] == "":
            ws.merge_cells(start_row=head1, start_column=c1, end_row=head2, end_column=c1)
        else:
            if c2 > c1:
                ws.merge_cells(start_row=head1, start_column=c1, end_row=head1, end_column=c2)
            for i in range(start, end + 1):
                ws.cell(row=head2, column=3 + i, value=cols[i][1])
        ws.cell(row=head1, column=c1, value=cols[start][0])
        start = end + 1
    for r in (head1, head2):
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = BOLD
            cell.fill = HEAD_FILL
            cell.alignment = CENTER
            cell.border = BOX
    row_no = head2 + 1
    for i, row in enumerate(report.rows, start=1):
        ws.cell(row=row_no, column=1, value=i)
        ws.cell(
            row=row_no,
            column=2,
            value=f"{row.name} ({row.key})" if row.key != row.name else row.name,
        )
        for j, (_g, _t, fig) in enumerate(cols):
            ws.cell(row=row_no, column=3 + j, value=_value(row, fig))
        for c in range(1, width + 1):
            ws.cell(row=row_no, column=c).border = BOX
        row_no += 1
    ws.cell(row=row_no, column=1, value="")
    ws.cell(row=row_no, column=2, value=_("Tổng cộng"))
    for j, (_g, _t, fig) in enumerate(cols):
        ws.cell(row=row_no, column=3 + j, value=_value(report.total, fig))
    for c in range(1, width + 1):
        cell = ws.cell(row=row_no, column=c)
        cell.font = BOLD
        cell.fill = TOTAL_FILL
        cell.border = BOX
    for j, (_g, _t, fig) in enumerate(cols):
        if fig.endswith("_rate"):
            for r in range(head2 + 1, row_no + 1):
                ws.cell(row=r, column=3 + j).number_format = "0.00"
    ws.cell(
        row=row_no + 2,
        column=2,
        value=_("Lập lúc %(at)s bởi MotCua")
        % {"at": f"{timezone.localtime(generated_at, VN):%H:%M %d/%m/%Y}"},
    )
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for j in range(len(cols)):
        ws.column_dimensions[get_column_letter(3 + j)].width = 12
    ws.row_dimensions[head1].height = 30
    ws.row_dimensions[head2].height = 45
    ws.freeze_panes = ws.cell(row=head2 + 1, column=3)
    as_text_only(ws)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


#: Where the table starts, for readers of the file (tests, scripts).
FIRST_DATA_ROW = 8
