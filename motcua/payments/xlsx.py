"""The fee figures as an Excel workbook (openpyxl): one sheet per grouping, amounts as numbers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.payments.selectors import OnlineFigures


def figures_workbook(
    *, start: date, end: date, groups: dict[str, list[dict[str, Any]]], online: OnlineFigures
) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")[:31]
    summary.append(
        [
            _("Thu phí, lệ phí từ %(a)s đến %(b)s")
            % {"a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}
        ]
    )
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Hồ sơ đã thanh toán"), online.with_fees])
    summary.append([_("Trong đó thanh toán trực tuyến"), online.paid_online])
    summary.append(
        [
            _("Tỷ lệ thanh toán trực tuyến (%)"),
            float(online.rate) if online.rate is not None else None,
        ]
    )
    titles = {
        "unit": _("Theo đơn vị"),
        "procedure": _("Theo thủ tục"),
        "method": _("Theo hình thức"),
        "day": _("Theo ngày"),
    }
    for by, rows in groups.items():
        sheet = book.create_sheet(str(titles.get(by, by))[:31])
        sheet.append([_("Mã"), _("Tên"), _("Số giao dịch"), _("Số tiền (đồng)")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # text cells never start with "=": no formula injection from a name
            sheet.append(
                [
                    str(row["key"]).lstrip("=+-@"),
                    str(row["name"]).lstrip("=+-@"),
                    row["payments"],
                    row["amount"],
                ]
            )
            sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0"
        sheet.column_dimensions["B"].width = 48
        sheet.column_dimensions["D"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
