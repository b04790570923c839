"""The input of the staff pages. Forms check the shape of what was typed; the services judge
whether it is allowed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import GreenLaneGroup, Procedure
from motcua.catalog.rules import missing_papers
from motcua.dossiers.models import Channel, Status

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ------------------------------------------------------------------------------ work lists
STATUS_CHOICES = [
    ("", _("Đang xử lý và chờ tiếp nhận")),
    *Status.choices,
    ("all", _("Tất cả")),
]
GREEN_CHOICES = [("", _("Tất cả")), ("1", _("Chỉ làn xanh")), ("0", _("Không thuộc làn xanh"))]


class WorkFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=STATUS_CHOICES, required=False)
    procedure = forms.ChoiceField(label=_("Thủ tục"), choices=[], required=False)
    green_lane = forms.ChoiceField(label=_("Làn xanh"), choices=GREEN_CHOICES, required=False)

    def __init__(self, *args: Any, procedures: list[Procedure] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        seen: dict[str, str] = {}
        for p in procedures:
            seen.setdefault(p.code, f"{p.code} — {p.name}")
        _set_choices(self, "procedure", [("", _("Tất cả thủ tục")), *seen.items()])


#: The deadline filter of a unit's list (the links of the staff home).
DUE_OVERDUE, DUE_TODAY = "qua-han", "hom-nay"
DUE_CHOICES = [("", _("Tất cả")), (DUE_OVERDUE, _("Quá hạn")), (DUE_TODAY, _("Đến hạn hôm nay"))]


class UnitWorkFilterForm(WorkFilterForm):
    q = forms.CharField(
        label=_("Tìm hồ sơ (mã, họ tên, số định danh, điện thoại)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=[], required=False)
    han = forms.ChoiceField(label=_("Thời hạn"), choices=DUE_CHOICES, required=False)

    def __init__(self, *args: Any, units: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        _set_choices(self, "unit", [(u.code, f"{u.name} ({u.code})") for u in units])
        self.order_fields(["q", "unit", "status", "han", "procedure", "green_lane"])


# -------------------------------------------------------------------------------- reception
GREEN_LANE_CHOICES = [("", _("Không thuộc làn xanh")), *GreenLaneGroup.choices]
CHANNEL_CHOICES = [
    (Channel.COUNTER.value, Channel.COUNTER.label),
    (Channel.POSTAL.value, Channel.POSTAL.label),
]


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=200)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số tổ chức"), max_length=50, required=False
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)


class ReceptionForm(ApplicantForm):
    """A walk-in (or postal) dossier checked at the desk: the papers, the applicant, the lane."""

    procedure = forms.CharField(widget=forms.HiddenInput)
    documents = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ đã nộp"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_documents = forms.CharField(
        label=_("Giấy tờ khác đã nộp (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    green_lane_group = forms.ChoiceField(
        label=_("Làn xanh"), choices=GREEN_LANE_CHOICES, required=False
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"), choices=CHANNEL_CHOICES, initial=Channel.COUNTER
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    backdated = forms.BooleanField(
        label=_("Nhập lùi: hồ sơ giấy đã nhận khi hệ thống không hoạt động"), required=False
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận thực tế"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )
    received_at_reason = forms.CharField(label=_("Lý do nhập lùi"), max_length=500, required=False)
    # the desk's other answers to the same papers (Mẫu 02, Mẫu 03)
    items = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, procedure: Procedure | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure_obj = procedure
        docs = list(procedure.documents.all()) if procedure is not None else []
        self.required_docs = docs
        _set_choices(self, "documents", [(str(d.pk), d.name) for d in docs])
        if procedure is not None and not self.is_bound:
            self.initial.setdefault("procedure", procedure.code)
            self.initial.setdefault("green_lane_group", procedure.green_lane_group)

    def chosen_documents(self) -> list[tuple[str, int]]:
        chosen = set(self.cleaned_data.get("documents") or [])
        out = [(d.name, d.copies or 1) for d in self.required_docs if str(d.pk) in chosen]
        out += [(line, 1) for line in _lines(self.cleaned_data.get("other_documents", ""))]
        return out

    def missing_mandatory(self) -> list[str]:
        """The mandatory papers not ticked (the rule of `catalog.rules.missing_papers`, which
        the reception service applies)."""
        return missing_papers(
            [(d.name, d.mandatory) for d in self.required_docs],
            [name for name, _copies in self.chosen_documents()],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("backdated"):
            if not data.get("received_at"):
                self.add_error("received_at", _("Hãy nhập thời điểm tiếp nhận thực tế."))
            if not (data.get("received_at_reason") or "").strip():
                self.add_error("received_at_reason", _("Hãy ghi lý do nhập lùi."))
        return data


# ---------------------------------------------------------------------------------- actions
class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StepNoteForm(NoteForm):
    """An action on the step the viewer saw: refused if the dossier has moved on since."""

    step = forms.IntegerField(widget=forms.HiddenInput)


class ReturnStepForm(StepNoteForm):
    note = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SupplementForm(forms.Form):
    items = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def item_list(self) -> list[str]:
        return _lines(self.cleaned_data["items"])


class AssignForm(forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.CharField(label=_("Người thụ lý"), max_length=150)


class ApologyForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do chậm trễ"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    explanation = forms.CharField(
        label=_("Giải trình của người thụ lý"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    new_due_at = forms.DateTimeField(
        label=_("Đề nghị hẹn lại ngày trả kết quả (chỉ được gia hạn một lần)"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )


class LogbookForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=[])
    first = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    MAX_DAYS = 92

    def __init__(self, *args: Any, units: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        _set_choices(self, "unit", [(u.code, f"{u.name} ({u.code})") for u in units])
        today = timezone.localdate()
        self.initial.setdefault("first", today.replace(day=1))
        self.initial.setdefault("last", today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first: date | None = data.get("first")
        last: date | None = data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("Ngày cuối phải sau hoặc bằng ngày đầu."))
            elif last - first > timedelta(days=self.MAX_DAYS):
                self.add_error(
                    "last",
                    _("Mỗi lần in tối đa %(n)s ngày; hãy chia thành nhiều kỳ.")
                    % {"n": self.MAX_DAYS},
                )
        return data
