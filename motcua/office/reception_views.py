"""The desk (Bộ phận Một cửa): pick the procedure among those the unit offers, check the papers
against its list, enter the applicant, mark the green lane, then receive (Mẫu 01), or hand the
applicant a Mẫu 02 (what to add, once) or a Mẫu 03 (why it cannot be received)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force, list_procedures
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Status
from motcua.dossiers.official_forms import IntakeAnswer, render_intake_pdf
from motcua.dossiers.selectors import list_dossiers
from motcua.office.dossier_views import get_viewer, is_htmx
from motcua.office.forms import ReceptionForm
from motcua.office.pdf_views import pdf_response
from motcua.office.selectors import units_for
from motcua.org.models import Role, Unit
from motcua.org.requests import actor_of
from motcua.payments.services import fix_amount_due
from motcua.queueing.views import link_ticket_from_session

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Desk:
    """The one-stop desk a request works at: the unit chosen (?unit=, or the form's; the first
    otherwise) among the units where the person is a receptionist."""

    request: HttpRequest
    unit: Unit
    units: list[Unit]

    def procedure(self, code: str) -> Procedure | None:
        """The version of ``code`` in force today, if this unit offers it."""
        if not code:
            return None
        procedure = get_procedure_in_force(code, timezone.localdate())
        if procedure is None or all(u.pk != self.unit.pk for u in procedure.units.all()):
            return None
        return procedure

    def page(
        self,
        procedure: Procedure | None,
        form: ReceptionForm | None,
        *,
        status: int = 200,
        error: str = "",
    ) -> HttpResponse:
        """The reception page: the procedure search, its form, the online dossiers waiting."""
        request, unit = self.request, self.unit
        waiting = list_dossiers(actor_of(request), status=Status.SUBMITTED, unit_code=unit.code)
        q = request.GET.get("q", "").strip()
        ctx: dict[str, Any] = {
            "unit": unit,
            "units": self.units,
            "procedure": procedure,
            "form": form,
            "docs": list(procedure.documents.all()) if procedure is not None else [],
            "q": q,
            "results": list(list_procedures(unit=unit, q=q)[:SEARCH_LIMIT]) if q else [],
            "limit": SEARCH_LIMIT,
            "waiting": list(waiting.select_related("procedure", "applicant")[:20]),
            "error": error,
            "now": timezone.localtime(),
        }
        return render(request, "office/reception.html", ctx, status=status)


def desk_of(request: HttpRequest) -> Desk | HttpResponse:
    """The request's desk, or the page that says only a receptionist may receive (403); another
    unit's code is 404."""
    units = units_for(get_viewer(request), Role.RECEPTIONIST)
    if not units:
        return render(
            request,
            "office/message.html",
            {
                "title": _("Không có quyền tiếp nhận hồ sơ"),
                "message": _(
                    "Chỉ Công chức Bộ phận Một cửa của đơn vị mới được tiếp nhận hồ sơ. Hãy đề "
                    "nghị quản trị viên của đơn vị giao vai trò nếu bạn làm việc tại Bộ phận Một "
                    "cửa."
                ),
            },
            status=403,
        )
    code = request.POST.get("unit") or request.GET.get("unit") or units[0].code
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Bạn không tiếp nhận hồ sơ cho đơn vị %(code)s.") % {"code": code})
    return Desk(request=request, unit=unit, units=units)


@login_required
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    if isinstance(desk, HttpResponse):
        return desk
    unit = desk.unit
    code = request.POST.get("procedure") or request.GET.get("thu-tuc", "")
    procedure = desk.procedure(code)
    if request.method == "GET":
        form = ReceptionForm(procedure=procedure) if procedure is not None else None
        return desk.page(procedure, form)

    if procedure is None:
        return desk.page(
            None,
            None,
            status=422,
            error=_("Hãy chọn thủ tục mà đơn vị tiếp nhận trước khi tiếp nhận hồ sơ."),
        )
    form = ReceptionForm(request.POST, procedure=procedure)
    if not form.is_valid():
        return desk.page(
            procedure, form, status=422, error=_("Hãy sửa các ô được đánh dấu rồi tiếp nhận lại.")
        )
    data = form.cleaned_data
    try:
        # the dossier and its amount due (with the exemption chosen) in one transaction
        with transaction.atomic():
            created = services.receive_dossier(
                actor=actor_of(request),
                procedure_code=procedure.code,
                unit_code=unit.code,
                applicant=services.ApplicantData(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                ),
                channel=data["channel"],
                green_lane_group=data["green_lane_group"],
                documents=[
                    services.DocumentData(name=n, copies=c) for n, c in form.chosen_documents()
                ],
                note=data["note"],
                received_at=data["received_at"] if data["backdated"] else None,
                received_at_reason=data["received_at_reason"] if data["backdated"] else "",
            )
            fix_amount_due(
                dossier_id=created.dossier.pk,
                actor=actor_of(request),
                exemption_code=request.POST.get("exemption", "")[:40],
            )
    except DomainError as exc:
        if exc.field:
            field = exc.field.removeprefix("applicant.")
            if field in form.fields:
                form.add_error(field, exc.message)
        return desk.page(procedure, form, status=exc.status, error=exc.message)
    dossier = created.dossier
    link_ticket_from_session(request, dossier)  # received from a queue ticket (motcua.queueing)
    messages.success(
        request,
        _(
            "Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả %(due)s. Mã tra cứu của người nộp: %(secret)s"
        )
        % {
            "code": dossier.code,
            "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
            if dossier.due_at
            else "—",
            "secret": created.lookup_secret,
        },
    )
    return HttpResponseRedirect(
        reverse("office:dossier", args=[dossier.code]) + "?moi=1", status=303
    )


@login_required
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """The procedures the desk's unit offers, by name or code (an htmx fragment)."""
    desk = desk_of(request)
    if isinstance(desk, HttpResponse):
        return desk
    unit = desk.unit
    q = request.GET.get("q", "").strip()
    results = list(list_procedures(unit=unit, q=q or None)[:SEARCH_LIMIT])
    if is_htmx(request):
        ctx = {"unit": unit, "results": results, "q": q, "limit": SEARCH_LIMIT}
        return render(request, "office/_procedure_results.html", ctx)
    query = urlencode({"unit": unit.code, "q": q})
    return HttpResponseRedirect(f"{reverse('office:reception')}?{query}", status=303)


@login_required
@require_POST
def intake_form_pdf(request: HttpRequest) -> HttpResponse:
    """Mẫu 02 or Mẫu 03 for a walk-in whose papers are not received: printed from what the desk
    entered (the engine keeps no dossier for them)."""
    desk = desk_of(request)
    if isinstance(desk, HttpResponse):
        return desk
    unit = desk.unit
    procedure = desk.procedure(request.POST.get("procedure", ""))
    kind = request.POST.get("form", "")
    if procedure is None or kind not in ("supplement-request", "refusal"):
        return desk.page(
            procedure,
            None,
            status=422,
            error=_("Hãy chọn thủ tục và loại phiếu (Mẫu 02 hoặc Mẫu 03)."),
        )
    form = ReceptionForm(request.POST, procedure=procedure)
    valid = form.is_valid()
    items = [line.strip() for line in form.data.get("items", "").splitlines() if line.strip()]
    reason = (form.data.get("reason") or "").strip()
    if kind == "supplement-request" and valid:
        items += [
            _("Bổ sung: %(doc)s") % {"doc": doc}
            for doc in form.missing_mandatory()
            if all(doc not in item for item in items)
        ]
        if not items:
            form.add_error("items", _("Hãy ghi ít nhất một nội dung cần bổ sung, hoàn thiện."))
            valid = False
    if kind == "refusal" and not reason:
        form.add_error("reason", _("Hãy ghi lý do từ chối tiếp nhận."))
        valid = False
    if not valid:
        return desk.page(
            procedure, form, status=422, error=_("Hãy sửa các ô được đánh dấu rồi in phiếu lại.")
        )
    data = form.cleaned_data
    answer = IntakeAnswer(
        form=kind,
        unit=unit,
        procedure=procedure,
        applicant={k: data[k] for k in ("name", "id_number", "phone", "email", "address")},
        items=items,
        reason=reason,
        officer=actor_of(request),
        at=timezone.now(),
    )
    name = "mau-02-yeu-cau-bo-sung.pdf" if kind == "supplement-request" else "mau-03-tu-choi.pdf"
    return pdf_response(render_intake_pdf(answer), name)
