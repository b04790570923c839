"""The citizen's forms. Labels and messages in Vietnamese through gettext (English second)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.portal.uploads import ACCEPT_ATTR, PortalUpload

PHONE = RegexValidator(
    r"^(\+84|0)[0-9 .]{8,13}$",
    _("Số điện thoại chưa đúng; ví dụ 0912 345 678 hoặc +84 912 345 678."),
)
ID_NUMBER = RegexValidator(
    r"^[0-9A-Za-z-]{6,20}$",
    _("Số định danh chỉ gồm chữ số (12 số trên căn cước), hoặc mã số doanh nghiệp."),
)


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), required=False, max_length=200)
    linh_vuc = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    truc_tuyen = forms.BooleanField(label=_("Chỉ thủ tục nộp được trực tuyến"), required=False)

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["linh_vuc"].choices = [("", _("Tất cả lĩnh vực")), *fields]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("ví dụ: khai sinh, kết hôn, xây dựng")}
        )


class PaperField(forms.FileField):
    """One paper as an upload: the portal's checks (content type, size, file name)."""

    def __init__(self, *, document: str, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)  # our own, clearer message
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)
        self.document = document
        self.error_messages["required"] = _("Hãy chọn tệp cho giấy tờ “%(doc)s”.") % {
            "doc": document
        }
        self.widget.attrs.update({"accept": ACCEPT_ATTR})

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value in (None, False, ""):
            return value
        if not isinstance(value, PortalUpload):
            raise forms.ValidationError(_("Tệp tải lên không được nhận; hãy chọn lại tệp."))
        problem = value.problem()
        if problem:
            raise forms.ValidationError(problem)
        return value


class ApplicantFields(forms.Form):
    name = forms.CharField(
        label=_("Họ và tên người nộp (hoặc tên tổ chức)"),
        max_length=200,
        error_messages={"required": _("Hãy nhập họ và tên người nộp hồ sơ.")},
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số doanh nghiệp"),
        max_length=20,
        validators=[ID_NUMBER],
        error_messages={
            "required": _(
                "Hãy nhập số định danh cá nhân (12 số trên căn cước) hoặc mã số doanh nghiệp."
            )
        },
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        validators=[PHONE],
        error_messages={"required": _("Hãy nhập số điện thoại để cơ quan liên hệ khi cần.")},
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.vn.")},
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=500,
        error_messages={"required": _("Hãy nhập địa chỉ liên hệ.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autocomplete = {
            "name": "name",
            "phone": "tel",
            "email": "email",
            "address": "street-address",
            "id_number": "off",
        }
        for key, value in autocomplete.items():
            self.fields[key].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        self.fields["id_number"].widget.attrs.update({"inputmode": "numeric"})


class SubmissionForm(ApplicantFields):
    """The online submission of one procedure: applicant, unit, one upload per paper."""

    unit = forms.ChoiceField(
        label=_("Nộp tới đơn vị"),
        error_messages={
            "required": _("Hãy chọn đơn vị tiếp nhận hồ sơ."),
            "invalid_choice": _("Đơn vị này không tiếp nhận thủ tục; hãy chọn trong danh sách."),
        },
    )
    note = forms.CharField(
        label=_("Ghi chú cho cán bộ tiếp nhận (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pledge = forms.BooleanField(
        label=_("Tôi xin cam đoan những thông tin khai trên là đúng sự thật."),
        error_messages={"required": _("Hãy đánh dấu ô cam đoan trước khi tiếp tục.")},
    )

    def __init__(
        self, *args: Any, procedure: Procedure, staged: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        staged = staged or {}
        units = [u for u in procedure.units.all() if u.active]
        self.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].code
        self.paper_fields: list[str] = []
        for doc in procedure.documents.all():
            key = f"doc_{doc.pk}"
            kept = staged.get(doc.name)
            self.fields[key] = PaperField(
                document=doc.name,
                label=doc.name,
                required=doc.mandatory and kept is None,
                help_text=doc.get_form_display()
                + ("" if doc.mandatory else " · " + str(_("không bắt buộc"))),
            )
            self.fields[key].staged = kept  # type: ignore[attr-defined]
            self.paper_fields.append(key)
        self.order_fields(
            ["name", "id_number", "phone", "email", "address", "unit", *self.paper_fields]
        )

    def papers(self) -> list[tuple[str, PortalUpload]]:
        """(paper name, file) of every chosen file, in the catalog's order."""
        out = []
        for key in self.paper_fields:
            upload = self.cleaned_data.get(key)
            if upload:
                out.append((self.fields[key].document, upload))  # type: ignore[attr-defined]
        return out

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in ("name", "id_number", "phone", "email", "address")]

    def paper_bound_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in self.paper_fields]


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ H26.74-260119-0001."),
        error_messages={"required": _("Hãy nhập mã hồ sơ.")},
    )
    secret = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=64,
        help_text=_("12 ký tự, in cạnh mã hồ sơ, ví dụ ABCD-EFGH-JKLM."),
        error_messages={"required": _("Hãy nhập mã tra cứu.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
        self.fields["secret"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú gửi cán bộ (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields: list[str] = []
        for i, item in enumerate(items):
            key = f"item_{i}"
            self.fields[key] = PaperField(document=item, label=item)
            self.item_fields.append(key)
        self.order_fields([*self.item_fields, "note"])

    def papers(self) -> list[tuple[str, PortalUpload]]:
        return [
            (self.fields[k].document, self.cleaned_data[k])  # type: ignore[attr-defined]
            for k in self.item_fields
            if self.cleaned_data.get(k)
        ]

    def item_bound_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in self.item_fields]


class RatingForm(forms.Form):
    overall = forms.ChoiceField(
        label=_("Ông/bà có hài lòng với việc giải quyết hồ sơ này không?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một mức đánh giá.")},
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overall"].choices = choices  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ví dụ: hồ sơ bị chậm, bị yêu cầu giấy tờ ngoài quy định, thái độ của cán bộ."),
        error_messages={"required": _("Hãy viết nội dung phản ánh.")},
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"), required=False, max_length=64
    )
    unit = forms.ChoiceField(label=_("Đơn vị bị phản ánh (nếu biết)"), required=False)
    name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={"required": _("Hãy nhập họ và tên để cơ quan trả lời.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), required=False, max_length=20, validators=[PHONE]
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=254)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Không rõ / không chọn")), *units]  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")) and not self.errors.get("phone"):
            self.add_error(
                "phone",
                _("Hãy để lại số điện thoại hoặc thư điện tử để cơ quan trả lời phản ánh."),
            )
        return data


class FeedbackLookupForm(forms.Form):
    """The complaint's number and look-up secret (posted: the secret never goes in a URL)."""

    number = forms.IntegerField(
        label=_("Số phản ánh"),
        widget=forms.TextInput,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Số được cấp khi gửi phản ánh, ví dụ 125."),
        error_messages={
            "required": _("Hãy nhập số phản ánh."),
            "invalid": _("Số phản ánh chỉ gồm chữ số, ví dụ 125."),
            "min_value": _("Số phản ánh chỉ gồm chữ số, ví dụ 125."),
            "max_value": _("Số phản ánh chỉ gồm chữ số, ví dụ 125."),
        },
    )
    secret = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=40,
        help_text=_("10 ký tự, được cấp cùng số phản ánh, ví dụ 42K877KUA9."),
        error_messages={"required": _("Hãy nhập mã tra cứu.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})
        self.fields["secret"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
