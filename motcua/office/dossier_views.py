"""The dossier page and its actions (STYLE §3): each action is one POST URL that validates a Form,
calls ONE service and answers with the refreshed dossier fragment for htmx, or redirects to the
full page otherwise. A refusal answers with the service's reason and its status (403 the role may
not, 409 the state does not allow, 422 bad input); another unit's dossier is 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.rules import mask_name
from motcua.dossiers.selectors import current_step
from motcua.office import forms as office_forms
from motcua.office.presenters import (
    Calendars,
    allowed_actions,
    dossier_clock,
    gate_of,
    step_clock,
)
from motcua.office.selectors import (
    Viewer,
    assignable_staff,
    get_dossier_page,
    leaders_who_can_sign,
    may_see_personal_data,
    viewer_of,
)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def get_viewer(request: HttpRequest) -> Viewer:
    cached = getattr(request, "_office_viewer", None)
    if cached is None:
        cached = viewer_of(request.user)  # type: ignore[arg-type]
        request._office_viewer = cached  # type: ignore[attr-defined]
    return cached


def find_dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return get_dossier_page(get_viewer(request), code)
    except DossierNotFound as exc:
        raise Http404(exc.message) from exc


def dossier_context(
    request: HttpRequest,
    dossier: Dossier,
    *,
    forms_with_errors: dict[str, forms.Form] | None = None,
) -> dict[str, Any]:
    viewer = get_viewer(request)
    now = timezone.now()
    cals = Calendars()
    step = current_step(dossier)
    acts = allowed_actions(viewer, dossier)
    gate = gate_of(dossier, now=now)
    if gate is not None:
        gate.leaders = [s.get_full_name() for s in leaders_who_can_sign(dossier, gate.step)]
    steps = [(s, step_clock(s, cals, now=now)) for s in dossier.steps.all()]
    personal = may_see_personal_data(viewer, dossier)
    applicant = getattr(dossier, "applicant", None)
    given = forms_with_errors or {}
    step_id = step.pk if step is not None else 0
    ctx: dict[str, Any] = {
        "dossier": dossier,
        "step": step,
        "steps": steps,
        "clock": dossier_clock(dossier, cals, now=now),
        "acts": acts,
        "gate": gate,
        "personal": personal,
        "applicant": applicant,
        "applicant_name": (
            applicant.name
            if applicant and personal
            else mask_name(applicant.name if applicant else "")
        ),
        "events": list(dossier.events.all()),
        "apologies": list(dossier.apologies.all()),
        "supplements": list(dossier.supplement_requests.all()),
        "paused": step is not None and step.status == StepStatus.PAUSED,
        "now": now,
        "complete_form": given.get("complete")
        or office_forms.StepNoteForm(initial={"step": step_id}),
        "return_form": given.get("return_step")
        or office_forms.ReturnStepForm(initial={"step": step_id}),
        "assign_form": given.get("assign") or office_forms.AssignForm(initial={"step": step_id}),
        "assignees": assignable_staff(step) if acts.assign and step is not None else [],
        "supplement_form": given.get("request_supplement") or office_forms.SupplementForm(),
        "receive_supplement_form": given.get("receive_supplement") or office_forms.NoteForm(),
        "apology_form": given.get("draft_apology") or office_forms.ApologyForm(),
        "refuse_form": given.get("refuse") or office_forms.ReasonForm(),
        "stop_form": given.get("stop") or office_forms.ReasonForm(),
        "return_result_form": given.get("return_result") or office_forms.NoteForm(),
        "open_form": next(iter(given), ""),
    }
    return ctx


@login_required
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = find_dossier(request, code)
    template = "office/_dossier.html" if is_htmx(request) else "office/dossier.html"
    return render(request, template, dossier_context(request, dossier))


def _answer(
    request: HttpRequest,
    code: str,
    *,
    status: int = 200,
    error: str = "",
    form_name: str = "",
    form: forms.Form | None = None,
) -> HttpResponse:
    """The refreshed dossier (fragment for htmx, full page otherwise) with the message."""
    dossier = find_dossier(request, code)
    ctx = dossier_context(
        request, dossier, forms_with_errors={form_name: form} if form is not None else None
    )
    ctx["error"] = error
    if status == 200:
        ctx["success"] = [str(m) for m in messages.get_messages(request)]
    template = "office/_dossier.html" if is_htmx(request) else "office/dossier.html"
    return render(request, template, ctx, status=status)


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def act(
    request: HttpRequest,
    code: str,
    *,
    form: forms.Form,
    form_name: str,
    call: Callable[[Dossier, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate ``form``, call the one service, answer (STYLE §3)."""
    dossier = find_dossier(request, code)
    if not form.is_valid():
        return _answer(
            request,
            code,
            status=422,
            error=_("Hãy sửa các ô được đánh dấu rồi gửi lại."),
            form_name=form_name,
            form=form,
        )
    try:
        call(dossier, form.cleaned_data)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _answer(
            request, code, status=exc.status, error=exc.message, form_name=form_name, form=form
        )
    messages.success(request, done)
    target = _next_url(request)
    if target is not None:
        return HttpResponseRedirect(target, status=303)
    if is_htmx(request):
        return _answer(request, code)
    return HttpResponseRedirect(reverse("office:dossier", args=[code]), status=303)


# -------------------------------------------------------------------------------- actions
@login_required
@require_POST
def accept(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.NoteForm(request.POST),
        form_name="accept",
        call=lambda d, _c: services.accept_dossier(dossier_id=d.pk, actor=request.user),  # type: ignore[arg-type]
        done=_("Đã tiếp nhận hồ sơ; hãy in Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)."),
    )


@login_required
@require_POST
def refuse(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.ReasonForm(request.POST),
        form_name="refuse",
        call=lambda d, c: services.refuse_dossier(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            reason=c["reason"],
        ),
        done=_("Đã ghi nhận việc từ chối, kèm lý do."),
    )


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.AssignForm(request.POST),
        form_name="assign",
        call=lambda d, c: services.assign_step(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            assignee=c["assignee"],
            step_id=c["step"],
        ),
        done=_("Đã phân công người thụ lý."),
    )


@login_required
@require_POST
def complete_step(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.StepNoteForm(request.POST),
        form_name="complete",
        call=lambda d, c: services.complete_step(
            step_id=_step_of(d, c["step"]),
            actor=request.user,  # type: ignore[arg-type]
            note=c["note"],
        ),
        done=_("Đã hoàn thành bước và chuyển hồ sơ sang bước tiếp theo."),
    )


@login_required
@require_POST
def return_step(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.ReturnStepForm(request.POST),
        form_name="return_step",
        call=lambda d, c: services.return_step(
            step_id=_step_of(d, c["step"]),
            actor=request.user,  # type: ignore[arg-type]
            note=c["note"],
        ),
        done=_("Đã trả hồ sơ về bước trước."),
    )


@login_required
@require_POST
def request_supplement(request: HttpRequest, code: str) -> HttpResponse:
    form = office_forms.SupplementForm(request.POST)
    return act(
        request,
        code,
        form=form,
        form_name="request_supplement",
        call=lambda d, c: services.request_supplement(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            items=form.item_list(),
            note=c["note"],
        ),
        done=_("Đã lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)."),
    )


@login_required
@require_POST
def receive_supplement(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.NoteForm(request.POST),
        form_name="receive_supplement",
        call=lambda d, c: services.receive_supplement(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            note=c["note"],
        ),
        done=_("Đã nhận hồ sơ bổ sung; thời hạn được tính tiếp."),
    )


@login_required
@require_POST
def draft_apology(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.ApologyForm(request.POST),
        form_name="draft_apology",
        call=lambda d, c: services.draft_apology(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            reason=c["reason"],
            explanation=c["explanation"],
            new_due_at=c["new_due_at"],
        ),
        done=_("Đã lập dự thảo phiếu xin lỗi; chờ Lãnh đạo đơn vị ký."),
    )


@login_required
@require_POST
def sign_apology(request: HttpRequest, code: str, apology_id: int) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.NoteForm(request.POST),
        form_name="sign",
        call=lambda d, _c: services.sign_apology(
            apology_id=_apology_of(d, apology_id),
            actor=request.user,  # type: ignore[arg-type]
        ),
        done=_("Đã ký phiếu xin lỗi (Mẫu 04); hồ sơ được xử lý tiếp."),
    )


@login_required
@require_POST
def return_result(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.NoteForm(request.POST),
        form_name="return_result",
        call=lambda d, c: services.return_to_applicant(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            note=c["note"],
        ),
        done=_("Đã trả kết quả cho người nộp hồ sơ."),
    )


@login_required
@require_POST
def stop(request: HttpRequest, code: str) -> HttpResponse:
    return act(
        request,
        code,
        form=office_forms.ReasonForm(request.POST),
        form_name="stop",
        call=lambda d, c: services.stop_dossier(
            dossier_id=d.pk,
            actor=request.user,  # type: ignore[arg-type]
            reason=c["reason"],
        ),
        done=_("Đã dừng giải quyết hồ sơ theo đề nghị của người nộp."),
    )


def _step_of(dossier: Dossier, step_id: int) -> int:
    """The step posted must be one of this dossier's (an id of another dossier is 404)."""
    if all(s.pk != step_id for s in dossier.steps.all()):
        raise DossierNotFound(_("Bước xử lý không thuộc hồ sơ này."))
    return step_id


def _apology_of(dossier: Dossier, apology_id: int) -> int:
    if all(a.pk != apology_id for a in dossier.apologies.all()):
        raise DossierNotFound(_("Phiếu xin lỗi không thuộc hồ sơ này."))
    return apology_id
