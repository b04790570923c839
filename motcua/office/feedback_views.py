"""Staff pages of the feedback desk: the queue (filters, overdue badges), the intake form an
operator types into while listening, and the item page with its history and the classify, route,
answer, close, return and publish forms. Thin: find through the scoped selectors, validate with a
Form, call one service, redirect (or show the form again with the message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.feedback import policy, selectors, services
from motcua.feedback.models import ASSIGNED_STATUSES, Category, Channel, Feedback, Status
from motcua.org.models import Staff, Unit
from motcua.org.requests import actor_of

MAX_ID = 2**63 - 1
PAGE_SIZE = 50
#: The queue's filter for what waits for the responsible unit's answer (classified, forwarded).
AWAITING_ANSWER = "awaiting_answer"
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _units() -> Any:
    return Unit.objects.filter(active=True).order_by("code")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return f"{obj.code} — {obj.name}"


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Kênh tiếp nhận"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=gettext_lazy("Thời điểm tiếp nhận"),
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    name = forms.CharField(label=gettext_lazy("Họ và tên người phản ánh"), required=False)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại, Zalo, Viber"), required=False)
    email = forms.CharField(label=gettext_lazy("Thư điện tử"), required=False)
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), required=False)
    content = forms.CharField(
        label=gettext_lazy("Nội dung (ghi trung thực lời người phản ánh)"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        error_messages={"required": gettext_lazy("Hãy nhập nội dung phản ánh.")},
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ (nếu có)"), required=False, max_length=64
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị bị phản ánh (nếu biết)"),
        queryset=Unit.objects.none(),
        required=False,
    )
    intake_unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị tiếp nhận"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, staff: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]
        self.fields["intake_unit"].queryset = selectors.intake_units(staff)  # type: ignore[attr-defined]


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Loại phản ánh"), choices=[("", "—"), *Category.choices]
    )
    in_scope = forms.TypedChoiceField(
        label=gettext_lazy("Phạm vi"),
        choices=[
            ("1", gettext_lazy("Thuộc phạm vi: chuyển đơn vị xử lý")),
            ("0", gettext_lazy("Không thuộc phạm vi: hướng dẫn, kết thúc")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị bị phản ánh"), queryset=Unit.objects.none(), required=False
    )
    dossier_code = forms.CharField(label=gettext_lazy("Mã hồ sơ"), required=False, max_length=64)
    green_lane = forms.TypedChoiceField(
        label=gettext_lazy("Chậm trễ hồ sơ làn xanh"),
        choices=[
            ("", gettext_lazy("Theo hồ sơ")),
            ("1", gettext_lazy("Có")),
            ("0", gettext_lazy("Không")),
        ],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú / hướng dẫn cơ quan có thẩm quyền (nếu không thuộc phạm vi)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        error_messages={"required": gettext_lazy("Hãy nhập nội dung trả lời.")},
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Công khai trên cổng thông tin"),
        required=False,
        widget=forms.CheckboxInput,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class QueueFilters(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        choices=[
            ("", gettext_lazy("Tất cả")),
            (AWAITING_ANSWER, gettext_lazy("Chờ đơn vị trả lời")),
            *Status.choices,
        ],
        required=False,
    )
    overdue = forms.ChoiceField(
        label=gettext_lazy("Quá hạn"),
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("1", gettext_lazy("Quá hạn")),
            ("0", gettext_lazy("Chưa quá hạn")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A list to pick from, not a code to type; the queue's scope stays `list_feedback`'s.
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả")),
            *((u.code, f"{u.code} — {u.name}") for u in _units()),
        ]

    channel = forms.ChoiceField(
        label=gettext_lazy("Kênh"),
        choices=[("", gettext_lazy("Tất cả")), *Channel.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=[("", gettext_lazy("Tất cả")), *Category.choices],
        required=False,
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Đơn vị"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Không có đơn vị đang hoạt động mã này.")},
    )
    green_lane = forms.BooleanField(
        label=gettext_lazy("Chỉ làn xanh"),
        required=False,
        widget=forms.CheckboxInput,
    )


# ------------------------------------------------------------------------------------ helpers
def _staff(request: HttpRequest) -> Staff:
    return actor_of(request)


def _item(request: HttpRequest, pk: int) -> Feedback:
    item = selectors.get_feedback_for(_staff(request), pk) if 0 < pk <= MAX_ID else None
    if item is None:
        raise Http404(_("Không có phản ánh này, hoặc bạn không có quyền xem."))
    return item


def _fail(form: forms.Form, exc: DomainError) -> int:
    """Put a service's refusal on the form; the status to answer with."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
    return exc.status


def _detail_context(request: HttpRequest, item: Feedback, **forms_: forms.Form) -> dict[str, Any]:
    allowed = policy.allowed(selectors.facts_of(_staff(request), item))
    context: dict[str, Any] = {
        "item": item,
        "overdue": item.is_overdue(timezone.now()),
        "events": selectors.list_events(item),
        "can_classify": policy.CLASSIFY in allowed,
        "can_answer": policy.ANSWER in allowed,
        "can_close": policy.CLOSE in allowed,
        "can_return": policy.RETURN in allowed,
        "can_publish": policy.PUBLISH in allowed,
        "classify_form": ClassifyForm(
            initial={
                "category": item.category,
                "in_scope": "0" if item.in_scope is False else "1",
                "unit": item.concerned_unit_id,
                "dossier_code": item.dossier_code,
            }
        ),
        "answer_form": AnswerForm(initial={"answer": item.answer}),
        "close_form": NoteForm(),
        "return_form": NoteForm(),
    }
    context.update(forms_)
    return context


# -------------------------------------------------------------------------------------- pages
@login_required
@require_http_methods(["GET", "HEAD"])
def feedback_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    filters = QueueFilters(request.GET or None)
    now = timezone.now()
    status = 200
    kwargs: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        unit = None
        if data["unit"]:
            unit = selectors.get_active_unit(data["unit"])
            if unit is None:
                filters.add_error("unit", _("Không có đơn vị đang hoạt động mã này."))
                status = 400
        kwargs = {
            "status": ASSIGNED_STATUSES
            if data["status"] == AWAITING_ANSWER
            else (data["status"] or None),
            "overdue": {"1": True, "0": False}.get(data["overdue"]),
            "channel": data["channel"] or None,
            "category": data["category"] or None,
            "green_lane": True if data["green_lane"] else None,
            "unit": unit,
        }
    elif filters.is_bound:
        status = 400
    qs = (
        selectors.list_feedback(staff, now=now, **kwargs)
        if status == 200
        else Feedback.objects.none()
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.overdue_now = item.is_overdue(now)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "office/feedback_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_enter": selectors.intake_units(staff).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not selectors.intake_units(staff).exists():
        return render(request, "office/feedback_new.html", {"form": None}, status=403)
    if request.method != "POST":
        form = IntakeForm(
            staff=staff,
            initial={"channel": Channel.HOTLINE, "received_at": timezone.localtime()},
        )
        return render(request, "office/feedback_new.html", {"form": form})
    form = IntakeForm(request.POST, staff=staff)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            received = services.receive_feedback(
                actor=staff,
                channel=data["channel"],
                content=data["content"],
                sender=services.Sender(
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                ),
                received_at=data["received_at"],
                dossier_code=data["dossier_code"],
                unit_code=data["unit"].code if data["unit"] else "",
                intake_unit_code=data["intake_unit"].code if data["intake_unit"] else "",
            )
        except DomainError as exc:
            status = _fail(form, exc)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận phản ánh số %(id)s. Mã tra cứu cho người phản ánh: %(secret)s")
                % {"id": received.feedback.pk, "secret": received.secret},
            )
            return redirect("office:feedback_detail", pk=received.feedback.pk)
    return render(request, "office/feedback_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return render(request, "office/feedback_detail.html", _detail_context(request, item))


def _act(
    request: HttpRequest, pk: int, form_name: str, form: forms.Form, call: Any
) -> HttpResponse:
    """Validate `form`, call the service, redirect; or show the page again with the message."""
    item = _item(request, pk)
    status = 400
    if form.is_valid():
        try:
            call(item, form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from None
            status = _fail(form, exc)
        else:
            return redirect("office:feedback_detail", pk=pk)
    item = _item(request, pk)
    context = _detail_context(request, item, **{form_name: form})
    context["failed_form"] = form
    return render(request, "office/feedback_detail.html", context, status=status)


@login_required
@require_POST
def feedback_classify(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Feedback, data: dict[str, Any]) -> None:
        services.classify_feedback(
            feedback_id=item.pk,
            actor=_staff(request),
            category=data["category"],
            in_scope=data["in_scope"],
            unit_code=data["unit"].code if data["unit"] else "",
            dossier_code=data["dossier_code"],
            green_lane=data["green_lane"],
            note=data["note"],
        )
        messages.success(request, _("Đã phân loại phản ánh số %(id)s.") % {"id": item.pk})

    return _act(request, pk, "classify_form", ClassifyForm(request.POST), call)


@login_required
@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Feedback, data: dict[str, Any]) -> None:
        services.answer_feedback(
            feedback_id=item.pk,
            actor=_staff(request),
            answer=data["answer"],
            publish=data["publish"],
        )
        messages.success(request, _("Đã gửi câu trả lời."))

    return _act(request, pk, "answer_form", AnswerForm(request.POST), call)


@login_required
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Feedback, data: dict[str, Any]) -> None:
        services.close_feedback(feedback_id=item.pk, actor=_staff(request), note=data["note"])
        messages.success(request, _("Đã kết thúc phản ánh số %(id)s.") % {"id": item.pk})

    return _act(request, pk, "close_form", NoteForm(request.POST), call)


@login_required
@require_POST
def feedback_return(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Feedback, data: dict[str, Any]) -> None:
        services.return_feedback(feedback_id=item.pk, actor=_staff(request), note=data["note"])
        messages.success(request, _("Đã trả lại cho đơn vị trả lời lại."))

    return _act(request, pk, "return_form", NoteForm(request.POST), call)


@login_required
@require_POST
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: Feedback, data: dict[str, Any]) -> None:
        services.publish_feedback(
            feedback_id=item.pk, actor=_staff(request), published=data["published"]
        )

    return _act(request, pk, "publish_form", PublishForm(request.POST), call)
