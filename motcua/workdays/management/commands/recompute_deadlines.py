"""`motcua recompute_deadlines [--unit CODE] [--from DATE --to DATE]`: recompute open deadlines.

Calls every recomputer registered with ``workdays.services.register_recomputer`` (the dossier app
registers its own), the same path a calendar change takes. Without options: every unit, every date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.org.models import Unit
from motcua.org.selectors import subtree_ids
from motcua.workdays.models import FIRST_YEAR, LAST_YEAR
from motcua.workdays.services import recompute_deadlines, registered_recomputers


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("Ngày “%(text)s” không hợp lệ; hãy viết theo dạng YYYY-MM-DD, ví dụ 2026-01-02.")
            % {"text": text}
        ) from None


class Command(BaseCommand):
    help = _(
        "Tính lại hạn giải quyết của các hồ sơ đang mở theo lịch làm việc hiện hành "
        "(một đơn vị và các đơn vị trực thuộc, một khoảng ngày, hoặc tất cả)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help=_("mã đơn vị, ví dụ H26.74 (kèm các đơn vị trực thuộc)"))
        parser.add_argument("--from", dest="first", help=_("từ ngày (YYYY-MM-DD)"))
        parser.add_argument("--to", dest="last", help=_("đến ngày (YYYY-MM-DD), tính cả ngày này"))

    def handle(self, *args: Any, **options: Any) -> None:
        unit_ids = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(_("Không có đơn vị mã %(code)s.") % {"code": options["unit"]})
            unit_ids = subtree_ids(unit)
        dates = None
        if options["first"] or options["last"]:
            if not (options["first"] and options["last"]):
                raise CommandError(_("Hãy cho cả --from và --to, hoặc không cho cả hai."))
            first, last = _date(options["first"]), _date(options["last"])
            if last < first:
                raise CommandError(_("--to phải từ ngày --from trở đi."))
            if first.year < FIRST_YEAR or last.year > LAST_YEAR:
                raise CommandError(
                    _("Lịch làm việc chỉ có các năm %(first)s–%(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                )
            dates = {first + timedelta(days=i) for i in range((last - first).days + 1)}
        if not registered_recomputers():
            self.stderr.write(
                _("Chưa có bộ tính lại hạn nào được đăng ký (ứng dụng hồ sơ chưa được nạp?).")
            )
        changed = recompute_deadlines(
            dates=dates,
            unit_ids=unit_ids,
            actor=None,
            reason=_("Tính lại hạn theo lệnh recompute_deadlines"),
        )
        self.stdout.write(_("Đã tính lại: %(n)s hạn thay đổi.") % {"n": changed})
