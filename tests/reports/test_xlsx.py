"""The Excel workbook reads back with openpyxl and its totals are the report's."""

import random
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.reports.selectors import Period, report
from motcua.reports.xlsx import FIRST_DATA_ROW, build_workbook, columns
from tests.reports.helpers import at
from tests.reports.test_selectors import _random_dossiers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group_by", ["unit", "procedure", "field", "month"])
def test_the_workbook_has_the_official_layout_and_matching_totals(office, group_by):
    _random_dossiers(office, random.Random(21), n=120)
    result = report(
        period=Period(date(2026, 1, 1), date(2026, 4, 1)), group_by=group_by, now=at(2026, 5, 1)
    )
    sheet = load_workbook(BytesIO(build_workbook(result, unit_name="Thành phố Thử Nghiệm"))).active
    assert sheet["A1"].value.startswith("BÁO CÁO TÌNH HÌNH")
    assert sheet["A2"].value == "Đơn vị: Thành phố Thử Nghiệm"
    assert sheet["A3"].value == "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert sheet.cell(row=6, column=3).value == "Số hồ sơ phải giải quyết"
    figures = [fig for _g, _t, fig in columns()]
    n = len(result.rows)
    lines = list(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + n, values_only=True)
    )
    body, total = lines[:n], lines[n]
    assert total[1] == "Tổng cộng"
    assert [line[0] for line in body] == list(range(1, n + 1))
    for j, fig in enumerate(figures):
        expected = result.total.as_dict()[fig]
        assert total[2 + j] == (float(expected) if fig.endswith("_rate") else expected), fig
        if group_by != "month" and not fig.endswith("_rate"):
            assert sum(line[2 + j] for line in body) == total[2 + j], fig
    if group_by == "month":
        received = figures.index("received")
        assert sum(line[2 + received] for line in body) == total[2 + received]
