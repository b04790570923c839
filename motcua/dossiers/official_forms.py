"""The official forms as PDF (DOMAIN §4), rendered by WeasyPrint from HTML templates under
``dossiers/forms/`` with Noto Serif / DejaVu Serif, so that every Vietnamese diacritic prints.

* :func:`render_form_pdf` — one form of one dossier: ``receipt`` (Mẫu 01), ``supplement-request``
  (Mẫu 02), ``refusal`` (Mẫu 03), ``apology`` (Mẫu 04), ``control-sheet`` (the process control
  sheet, read from the events). The API's ``GET /api/v1/dossiers/{code}/forms/{form}`` calls it
  with a dossier it found through the scoped selector (``get_dossier_for``).
* :func:`render_intake_pdf` — Mẫu 02 / Mẫu 03 handed to a walk-in applicant whose papers were
  not received (no dossier exists for them).
* :func:`render_logbook_pdf` — the unit's dossier log book for a period (DOMAIN §4.6).

The forms are official Vietnamese documents: they are always rendered in Vietnamese, whatever the
language of the page that asked for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.dossiers.models import (
    Apology,
    ApologyStatus,
    Dossier,
    DossierStep,
    Event,
    EventKind,
    Status,
    SupplementRequest,
)
from motcua.dossiers.notices import lookup_link
from motcua.dossiers.selectors import with_details
from motcua.dossiers.services.common import lookup_secret_of
from motcua.org.models import Staff, Unit
from motcua.signatures.models import Kind as SignedKind
from motcua.signatures.services import (
    new_verify_code,
    register_signed,
    seal_of_unit,
    sign_pdf,
    signed_file_bytes,
    signed_file_for,
)

# WeasyPrint reports each rendering step at INFO; a server has no use for them.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

logger = logging.getLogger("motcua.dossiers.forms")

FORMS = ("receipt", "supplement-request", "refusal", "apology", "control-sheet")


class FormNotAvailable(DomainError):
    """The dossier has no such form (yet): e.g. a receipt before reception (answered 409)."""

    code = "form_not_available"


class UnknownForm(DomainError):
    code = "unknown_form"
    status = 404


QR_SCALE = 8  # pixels per module of the embedded PNG
QR_BORDER = 2  # modules of quiet zone


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI (for <img src>), sharp when printed at 28 mm."""
    return str(segno.make(text, error="m").png_data_uri(scale=QR_SCALE, border=QR_BORDER))


def _html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def _render(template: str, context: dict[str, Any]) -> bytes:
    with translation.override("vi"):
        html = render_to_string(f"dossiers/forms/{template}", context)
    return _html_to_pdf(html)


def sequence_of(code: str) -> str:
    """The XXXX part of a dossier code (its line in the day's log book)."""
    return code.rsplit("-", 1)[-1] if "-" in code else code


def legal_time(procedure: Procedure) -> str:
    if procedure.legal_working_hours is not None:
        return _("%(n)s giờ làm việc") % {"n": _num(procedure.legal_working_hours)}
    days = procedure.legal_working_days or Decimal(0)
    if days == 0:
        return _("trả kết quả trong ngày")
    return _("%(n)s ngày làm việc") % {"n": _num(days)}


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _common(dossier: Dossier) -> dict[str, Any]:
    applicant = getattr(dossier, "applicant", None)
    return {
        "dossier": dossier,
        "unit": dossier.unit,
        "procedure": dossier.procedure,
        "applicant": applicant,
        "seq": sequence_of(dossier.code),
        "year": timezone.localtime(dossier.received_at or dossier.created_at).year,
        "today": timezone.localdate(),
        "legal_time": legal_time(dossier.procedure),
        "green_lane": dossier.green_lane,
        "green_lane_group": dossier.get_green_lane_group_display(),
        "place": _place(dossier.unit),
    }


def _place(unit: Unit) -> str:
    """The place written before the date ("Hà Nội, ngày …"): the unit's name without its kind."""
    return unit.name


def _events(dossier: Dossier) -> list[Event]:
    return list(dossier.events.all())


def _last_event(dossier: Dossier, kind: str) -> Event | None:
    found = [e for e in _events(dossier) if e.kind == kind]
    return found[-1] if found else None


def _pick(rows: list[Any], item_id: int | None, what: str) -> Any:
    if item_id is not None:
        for row in rows:
            if row.pk == item_id:
                return row
        raise FormNotAvailable(
            _("Hồ sơ không có %(what)s số %(id)s.") % {"what": what, "id": item_id}
        )
    if not rows:
        raise FormNotAvailable(_("Hồ sơ chưa có %(what)s.") % {"what": what})
    return rows[-1]


def form_context(dossier: Dossier, form: str, *, item_id: int | None = None) -> dict[str, Any]:
    """The data of one form (also used by the tests); FormNotAvailable when it does not exist."""
    if form not in FORMS:
        raise UnknownForm(
            _("Không có biểu mẫu “%(form)s”; các biểu mẫu: %(forms)s.")
            % {"form": form, "forms": ", ".join(FORMS)}
        )
    ctx = _common(dossier)
    if form == "receipt":
        if dossier.received_at is None:
            raise FormNotAvailable(
                _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có Giấy tiếp nhận (Mẫu 01).")
                % {"code": dossier.code}
            )
        # The QR code is a link to the look-up page with the code filled in; the secret is
        # printed beside it, never put in the link (servers log URLs).
        ctx["lookup_url"] = lookup_link(dossier.code)
        ctx["qr"] = qr_data_uri(ctx["lookup_url"] or dossier.code)
        ctx["secret"] = lookup_secret_of(dossier)
        ctx["received_by"] = dossier.received_by
        return ctx
    if form == "supplement-request":
        request: SupplementRequest = _pick(
            list(dossier.supplement_requests.all()), item_id, _("phiếu yêu cầu bổ sung")
        )
        ctx["request"] = request
        ctx["items"] = request.items
        ctx["reason"] = request.note
        ctx["guide"] = _staff(request.requested_by_id)
        ctx["number"] = f"{ctx['seq']}-{_index(dossier.supplement_requests.all(), request)}"
        ctx["at"] = request.requested_at
        return ctx
    if form == "refusal":
        event = _last_event(dossier, EventKind.REFUSED)
        if dossier.status != Status.REFUSED or event is None:
            raise FormNotAvailable(
                _("Hồ sơ %(code)s không bị từ chối tiếp nhận nên không có Mẫu 03.")
                % {"code": dossier.code}
            )
        ctx["reasons"] = [line for line in event.note.splitlines() if line.strip()]
        ctx["officer"] = event.actor
        ctx["at"] = event.at
        return ctx
    if form == "apology":
        apology: Apology = _pick(list(dossier.apologies.all()), item_id, _("phiếu xin lỗi"))
        ctx["apology"] = apology
        ctx["draft"] = apology.status != ApologyStatus.SIGNED
        ctx["original_due_at"] = _due_before(dossier, apology)
        ctx["new_due_at"] = apology.new_due_at
        return ctx
    # control-sheet
    if dossier.received_at is None:
        raise FormNotAvailable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có Phiếu kiểm soát.")
            % {"code": dossier.code}
        )
    ctx["rows"] = control_rows(dossier)
    ctx["coordinating"] = sorted(
        {s.unit.name for s in dossier.steps.all() if s.unit_id != dossier.unit_id}
    )
    return ctx


def _staff(pk: int | None) -> Staff | None:
    return Staff.objects.filter(pk=pk).first() if pk is not None else None


def _index(rows: Any, row: Any) -> int:
    for n, item in enumerate(rows, start=1):
        if item.pk == row.pk:
            return n
    return 1


def _due_before(dossier: Dossier, apology: Apology) -> datetime | None:
    """The appointment the apology moves away from: the statutory one when it moved it."""
    if apology.extension_applied:
        return dossier.original_due_at
    return dossier.due_at


@dataclass
class ControlRow:
    """One handover of the process control sheet (DOMAIN §4.5)."""

    unit: str
    giver: str
    at: datetime
    receiver: str
    receiver_unit: str
    result: str
    note: str


def control_rows(dossier: Dossier) -> list[ControlRow]:
    """The handovers read from the events: reception, every completed or returned step, the
    result, the return; each with the timeliness of the step handed over."""
    steps: dict[int, DossierStep] = {s.pk: s for s in dossier.steps.all()}
    rows: list[ControlRow] = []
    for event in _events(dossier):
        if event.kind not in (
            EventKind.RECEIVED,
            EventKind.ACCEPTED,
            EventKind.STEP_COMPLETED,
            EventKind.STEP_RETURNED,
            EventKind.STEP_ASSIGNED,
            EventKind.SUPPLEMENT_REQUESTED,
            EventKind.SUPPLEMENT_RECEIVED,
            EventKind.APOLOGY_SIGNED,
            EventKind.RETURNED,
            EventKind.REFUSED,
            EventKind.STOPPED,
        ):
            continue
        step = steps.get(event.step_id) if event.step_id else None
        result = ""
        if event.kind == EventKind.STEP_COMPLETED and step is not None and step.timeliness:
            result = step.get_timeliness_display()
        receiver_unit = ""
        if event.to_unit_id is not None:
            receiver_unit = _unit_name(dossier, event.to_unit_id)
        rows.append(
            ControlRow(
                unit=_unit_name(dossier, event.from_unit_id)
                if event.from_unit_id
                else dossier.unit.name,
                giver=event.actor.get_full_name() if event.actor else _("Người nộp hồ sơ"),
                at=event.at,
                receiver=str(event.get_kind_display()),
                receiver_unit=receiver_unit,
                result=result,
                note=(f"{step.name}: " if step is not None else "") + event.note,
            )
        )
    return rows


def _unit_name(dossier: Dossier, unit_id: int) -> str:
    if unit_id == dossier.unit_id:
        return dossier.unit.name
    for step in dossier.steps.all():
        if step.unit_id == unit_id:
            return step.unit.name
    unit = Unit.objects.filter(pk=unit_id).only("name").first()
    return unit.name if unit else ""


TEMPLATES = {
    "receipt": "mau01_receipt.html",
    "supplement-request": "mau02_supplement.html",
    "refusal": "mau03_refusal.html",
    "apology": "mau04_apology.html",
    "control-sheet": "control_sheet.html",
}


def render_form_pdf(
    dossier: Dossier,
    form: str,
    *,
    item_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> bytes:
    """The PDF of ``form`` for ``dossier`` (see the module's doc). ``item_id`` picks one
    supplement request or apology (default: the latest). Raises UnknownForm (404) or
    FormNotAvailable (409) with a sentence a person can act on. Pass a dossier read with
    ``with_details`` to keep the queries few."""
    ctx = form_context(dossier, form, item_id=item_id)
    ctx.update(extra or {})  # what a layer above adds (the control sheet's attribution line)
    if form == "apology" and not ctx["draft"]:
        # A signed letter is never rendered again: the stored signed bytes are the letter.
        stored = signed_file_for(SignedKind.APOLOGY, ctx["apology"].pk)
        if stored is not None:
            return signed_file_bytes(signed_file_id=stored.pk)
    if form == "receipt":
        return _receipt_pdf(dossier, ctx)
    return _render(TEMPLATES[form], ctx)


def _receipt_pdf(dossier: Dossier, ctx: dict[str, Any]) -> bytes:
    """Mẫu 01 as issued. When the unit has a seal key (``unit:<code>``) the first rendering is
    sealed (PAdES, in the receiving officer's column), stored and registered, and every later
    request gets exactly those bytes; without a seal it is rendered each time, unsigned. A seal
    that fails (token absent, service down) does not stop the desk: the receipt is issued
    unsigned and the failure logged, as the fee receipts do."""
    stored = signed_file_for(SignedKind.RECEIPT, dossier.pk)
    if stored is not None:
        return signed_file_bytes(signed_file_id=stored.pk)
    seal = seal_of_unit(dossier.unit)
    if seal is None:
        return _render(TEMPLATES["receipt"], ctx)
    pdf = _render(TEMPLATES["receipt"], {**ctx, "to_sign": True})
    code = new_verify_code()
    try:
        signed = sign_pdf(pdf, signer=seal, box="chu-ky", verify_code=code)
    except DomainError as exc:
        logger.warning("sealing the receipt of %s failed: %s", dossier.code, exc.code)
        return pdf
    with transaction.atomic():
        register_signed(
            pdf=signed,
            code=code,
            kind=SignedKind.RECEIPT,
            signer_name=seal.name,
            dossier_code=dossier.code,
            subject_id=dossier.pk,
        )
    return signed


def render_apology_to_sign(
    *, dossier_id: int, apology_id: int, signer: Staff, at: datetime
) -> bytes:
    """Mẫu 04 as ``signer`` will sign it at ``at`` (the preview and the bytes that get signed):
    no DRAFT watermark, the signer's name, an empty box ``id="chu-ky"`` for the signature."""
    dossier = with_details(Dossier.objects.filter(pk=dossier_id)).get()
    ctx = form_context(dossier, "apology", item_id=apology_id)
    apology = ctx["apology"]
    apology.signed_by = signer
    apology.signed_at = at
    ctx["draft"] = False
    ctx["to_sign"] = True
    return _render(TEMPLATES["apology"], ctx)


# ------------------------------------------------------------------------------ at the desk
@dataclass
class IntakeAnswer:
    """Mẫu 02 or Mẫu 03 for a walk-in whose papers were not received (no dossier exists)."""

    form: str  # "supplement-request" | "refusal"
    unit: Unit
    procedure: Procedure
    applicant: dict[str, str]
    items: list[str]
    reason: str
    officer: Staff
    at: datetime


def render_intake_pdf(answer: IntakeAnswer) -> bytes:
    ctx: dict[str, Any] = {
        "dossier": None,
        "unit": answer.unit,
        "procedure": answer.procedure,
        "applicant": answer.applicant,
        "seq": "……",
        "number": "……",
        "year": timezone.localtime(answer.at).year,
        "today": timezone.localdate(answer.at),
        "legal_time": legal_time(answer.procedure),
        "green_lane": False,
        "place": _place(answer.unit),
        "at": answer.at,
    }
    if answer.form == "refusal":
        ctx["reasons"] = [line for line in answer.reason.splitlines() if line.strip()]
        ctx["officer"] = answer.officer
        return _render(TEMPLATES["refusal"], ctx)
    ctx["items"] = answer.items
    ctx["reason"] = answer.reason
    ctx["guide"] = answer.officer
    return _render(TEMPLATES["supplement-request"], ctx)


# ------------------------------------------------------------------------------- log book
def render_logbook_pdf(*, unit: Unit, first: date, last: date, dossiers: list[Dossier]) -> bytes:
    rows = []
    for n, d in enumerate(dossiers, start=1):
        steps = list(d.steps.all())
        lead = next((s.unit.name for s in steps if s.unit_id != d.unit_id), d.unit.name)
        rows.append(
            {"n": n, "dossier": d, "lead": lead, "applicant": getattr(d, "applicant", None)}
        )
    ctx = {
        "unit": unit,
        "first": first,
        "last": last,
        "rows": rows,
        "today": timezone.localdate(),
        "place": _place(unit),
    }
    return _render("logbook.html", ctx)


# ------------------------------------------------------------------------------ by e-mail
def render_attachment(*, dossier_id: int, form: str, apology_id: int | None = None) -> bytes:
    """The notifications' "dossier_form" attachment renderer (registered by
    `DossiersConfig.ready()`): `notify_apology` queues the signed apology (Mẫu 04) with its
    e-mail, and the worker renders it here when it sends the message."""
    dossier = with_details(Dossier.objects.filter(pk=dossier_id)).get()
    return render_form_pdf(dossier, form, item_id=apology_id)
