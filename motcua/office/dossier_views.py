"""The dossier page and its actions (STYLE §3).

The actions are one table (:data:`ACTIONS`): each names the policy action it is
(`motcua.dossiers.policy`), the Form that checks what was typed, the ONE service it calls and
the sentence shown when it is done. One view (:func:`act`) serves them all at one POST URL each:
it validates the form, calls the service and answers with the refreshed dossier fragment for
htmx, or redirects to the full page otherwise. A refusal answers with the service's reason and
its status (403 the role may not, 409 the state does not allow, 422 bad input); another unit's
dossier is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers import policy, services
from motcua.dossiers.errors import ApologyRequired, DossierNotFound
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.rules import mask_name
from motcua.dossiers.selectors import (
    current_step,
    facts_of,
    get_dossier_for,
    may_see_personal_data,
)
from motcua.office import forms as office_forms
from motcua.office.presenters import (
    Calendars,
    allowed_actions,
    dossier_clock,
    step_clock,
)
from motcua.office.selectors import (
    Viewer,
    assignable_staff,
    leaders_who_can_sign,
    viewer_of,
)
from motcua.org.models import Role, Staff
from motcua.org.requests import actor_of
from motcua.reports.attribution import dossier_attribution


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def get_viewer(request: HttpRequest) -> Viewer:
    """The signed-in staff member and their roles, read once per request."""
    cached: Viewer | None = getattr(request, "_office_viewer", None)
    if cached is None:
        cached = viewer_of(actor_of(request))
        setattr(request, "_office_viewer", cached)  # noqa: B010 - a per-request cache
    return cached


def find_dossier(request: HttpRequest, code: str, *, personal: bool = False) -> Dossier:
    """The dossier through the one scope (`dossiers.selectors.get_dossier_for`); 404 when it is
    not visible (with ``personal``: when the viewer may not see the applicant's data)."""
    try:
        return get_dossier_for(actor_of(request), code, personal=personal)
    except DossierNotFound as exc:
        raise Http404(exc.message) from exc


# --------------------------------------------------------------------------------- actions
@dataclass(frozen=True)
class Action:
    """One action of the dossier page: what it checks and which service it calls."""

    form: type[forms.Form]
    call: Callable[[Staff, Dossier, dict[str, Any], forms.Form, dict[str, Any]], object]
    done: Promise


def _note(c: dict[str, Any]) -> str:
    return str(c.get("note", ""))


ACTIONS: dict[str, Action] = {
    policy.ACCEPT: Action(
        office_forms.NoteForm,
        lambda actor, d, c, f, kw: services.accept_dossier(dossier_id=d.pk, actor=actor),
        _("Đã tiếp nhận hồ sơ; hãy in Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)."),
    ),
    policy.REFUSE: Action(
        office_forms.ReasonForm,
        lambda actor, d, c, f, kw: services.refuse_dossier(
            dossier_id=d.pk, actor=actor, reason=c["reason"]
        ),
        _("Đã ghi nhận việc từ chối, kèm lý do."),
    ),
    policy.ASSIGN: Action(
        office_forms.AssignForm,
        lambda actor, d, c, f, kw: services.assign_step(
            dossier_id=d.pk, actor=actor, assignee=c["assignee"], step_id=c["step"]
        ),
        _("Đã phân công người thụ lý."),
    ),
    policy.COMPLETE_STEP: Action(
        office_forms.StepNoteForm,
        lambda actor, d, c, f, kw: services.complete_step(
            dossier_id=d.pk, step_id=c["step"], actor=actor, note=_note(c)
        ),
        _("Đã hoàn thành bước và chuyển hồ sơ sang bước tiếp theo."),
    ),
    policy.RETURN_STEP: Action(
        office_forms.ReturnStepForm,
        lambda actor, d, c, f, kw: services.return_step(
            dossier_id=d.pk, step_id=c["step"], actor=actor, note=_note(c)
        ),
        _("Đã trả hồ sơ về bước trước."),
    ),
    policy.REQUEST_SUPPLEMENT: Action(
        office_forms.SupplementForm,
        lambda actor, d, c, f, kw: services.request_supplement(
            dossier_id=d.pk,
            actor=actor,
            items=f.item_list(),  # type: ignore[attr-defined]
            note=_note(c),
        ),
        _("Đã lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)."),
    ),
    policy.RECEIVE_SUPPLEMENT: Action(
        office_forms.NoteForm,
        lambda actor, d, c, f, kw: services.receive_supplement(
            dossier_id=d.pk, actor=actor, note=_note(c)
        ),
        _("Đã nhận hồ sơ bổ sung; thời hạn được tính tiếp."),
    ),
    policy.DRAFT_APOLOGY: Action(
        office_forms.ApologyForm,
        lambda actor, d, c, f, kw: services.draft_apology(
            dossier_id=d.pk,
            actor=actor,
            reason=c["reason"],
            explanation=c["explanation"],
            new_due_at=c["new_due_at"],
        ),
        _("Đã lập dự thảo phiếu xin lỗi; chờ Lãnh đạo đơn vị ký."),
    ),
    policy.SIGN_APOLOGY: Action(
        office_forms.NoteForm,
        lambda actor, d, c, f, kw: services.sign_apology(
            apology_id=_apology_of(d, kw["apology_id"]), actor=actor
        ),
        _("Đã ký phiếu xin lỗi (Mẫu 04); hồ sơ được xử lý tiếp."),
    ),
    policy.RETURN: Action(
        office_forms.NoteForm,
        lambda actor, d, c, f, kw: services.return_to_applicant(
            dossier_id=d.pk, actor=actor, note=_note(c)
        ),
        _("Đã trả kết quả cho người nộp hồ sơ."),
    ),
    policy.STOP: Action(
        office_forms.ReasonForm,
        lambda actor, d, c, f, kw: services.stop_dossier(
            dossier_id=d.pk, actor=actor, reason=c["reason"]
        ),
        _("Đã dừng giải quyết hồ sơ theo đề nghị của người nộp."),
    ),
}


def _apology_of(dossier: Dossier, apology_id: int) -> int:
    """The apology in the URL must be one of this dossier's (another one is 404)."""
    if all(a.pk != apology_id for a in dossier.apologies.all()):
        raise DossierNotFound(str(_("Phiếu xin lỗi không thuộc hồ sơ này.")))
    return apology_id


# ------------------------------------------------------------------------------------ page
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
    facts = facts_of(dossier)
    acts = allowed_actions(viewer, facts, now=now)
    gate = policy.gate(facts, now=now)
    # "Hoàn thành bước" while the apology gate locks the step: shown disabled, with the
    # policy's own reason (the service refuses for the same reason).
    locked = (
        policy.refusal(policy.COMPLETE_STEP, facts, viewer.actor, now=now)
        if gate is not None and policy.COMPLETE_STEP not in acts.allowed
        else None
    )
    gate_leaders = (
        [s.get_full_name() for s in leaders_who_can_sign(dossier, step)]
        if gate is not None and step is not None
        else []
    )
    steps = [(s, step_clock(s, cals, now=now)) for s in dossier.steps.all()]
    personal = may_see_personal_data(viewer.actor, dossier)
    applicant = getattr(dossier, "applicant", None)
    given = forms_with_errors or {}
    step_id = step.pk if step is not None else 0
    page_forms: dict[str, forms.Form] = {
        name: given.get(name)
        or action.form(initial={"step": step_id} if "step" in action.form.base_fields else None)
        for name, action in ACTIONS.items()
    }
    return {
        "dossier": dossier,
        "step": step,
        "steps": steps,
        "clock": dossier_clock(dossier, cals, now=now),
        "acts": acts,
        "gate": gate,
        "complete_locked": str(locked) if isinstance(locked, ApologyRequired) else "",
        "gate_who": (
            (gate.step.assignee_name or Role(gate.step.role).label) if gate is not None else ""
        ),
        "gate_leaders": gate_leaders,
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
        "forms": page_forms,
        "assignees": (
            assignable_staff(step) if policy.ASSIGN in acts.allowed and step is not None else []
        ),
        "open_form": next(iter(given), ""),
        "attribution": dossier_attribution(dossier, [s for s, _c in steps], now=now),
    }


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


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str, **kwargs: Any) -> HttpResponse:
    """Validate the action's form, call its one service, answer (STYLE §3)."""
    spec = ACTIONS[action]
    dossier = find_dossier(request, code)
    form = spec.form(request.POST)
    if not form.is_valid():
        return _answer(
            request,
            code,
            status=422,
            error=str(_("Hãy sửa các ô được đánh dấu rồi gửi lại.")),
            form_name=action,
            form=form,
        )
    try:
        spec.call(actor_of(request), dossier, form.cleaned_data, form, kwargs)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _answer(
            request, code, status=exc.status, error=exc.message, form_name=action, form=form
        )
    messages.success(request, str(spec.done))
    target = _next_url(request)
    if target is not None:
        return HttpResponseRedirect(target, status=303)
    if is_htmx(request):
        return _answer(request, code)
    return HttpResponseRedirect(reverse("office:dossier", args=[code]), status=303)
