"""A receipt as PDF (the official forms' renderer: WeasyPrint, the forms' base template) and as
structured XML. Official documents: always in Vietnamese.

Signing: when the signatures app (`motcua.signatures.services.sign_pdf`) is installed and the
collecting unit has a seal key (`seal_of_unit`), the PDF is signed by the unit's seal in the box
``id="chu-ky"``; otherwise it is issued unsigned and says so ("Biên lai chưa được ký số").
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.dossiers.official_forms import _html_to_pdf, qr_data_uri
from motcua.payments import rules
from motcua.payments.models import FeeKind, Receipt
from motcua.payments.selectors import charge_of_dossier, replaced_by
from motcua.payments.services.common import receipt_label

logger = logging.getLogger("motcua.payments")

XML_NAMESPACE = "urn:motcua:bien-lai:1"


def _signatures() -> Any:
    try:
        return importlib.import_module("motcua.signatures.services")
    except ImportError:
        return None


def signer() -> Callable[..., bytes] | None:
    """The signatures app's ``sign_pdf`` when it exists, else None (the receipt says unsigned)."""
    module = _signatures()
    fn = getattr(module, "sign_pdf", None) if module is not None else None
    return fn if callable(fn) else None


def _changed_at(receipt: Receipt) -> Any:
    """When the receipt last changed what its PDF shows (issued, cancelled or replaced, its
    payment refunded): a signed copy older than that is out of date."""
    refund = getattr(receipt.payment, "refund", None) if receipt.payment_id else None
    moments = [receipt.issued_at, receipt.cancelled_at, refund.refunded_at if refund else None]
    return max(m for m in moments if m is not None)


def _sign(pdf: bytes, receipt: Receipt) -> bytes | None:
    """The receipt signed by its collecting unit's seal (the unit issues the receipt), stored
    and registered for the verification page its QR code points at; None when the unit has no
    key or signing fails (then it is issued unsigned and says so)."""
    module = _signatures()
    sign = signer()
    if module is None or sign is None:
        return None
    try:
        seal = module.seal_of_unit(receipt.unit)
        if seal is None:
            return None
        code = module.new_verify_code()
        signed = bytes(sign(pdf, signer=seal, box="chu-ky", verify_code=code))
        with transaction.atomic():
            module.register_signed(
                pdf=signed,
                code=code,
                kind="fee_receipt",
                signer_name=seal.name,
                dossier_code=receipt.dossier.code,
                subject_id=receipt.pk,
            )
        return signed
    except Exception:
        logger.exception("signing receipt %s failed; issued unsigned", receipt.pk)
        return None


def _stored(receipt: Receipt) -> bytes | None:
    """The signed copy already issued for the receipt as it stands, if any: a signed document
    is served as stored, never signed again for each download."""
    module = _signatures()
    if module is None or not hasattr(module, "signed_file_for"):
        return None
    stored = module.signed_file_for("fee_receipt", receipt.pk)
    if stored is None or stored.signed_at < _changed_at(receipt):
        return None
    return bytes(module.signed_file_bytes(signed_file_id=stored.pk))


def _context(receipt: Receipt, *, signed: bool) -> dict[str, Any]:
    series = receipt.series
    charge = charge_of_dossier(receipt.dossier_id)
    kinds = dict(FeeKind.choices)
    items = [
        {
            **i,
            "kind_label": str(kinds.get(i.get("kind"), "")),
            "amount_text": rules.format_vnd(int(i.get("amount", 0))),
        }
        for i in receipt.items
    ]
    successor = replaced_by(receipt)
    refund = getattr(receipt.payment, "refund", None) if receipt.payment_id else None
    officer = (
        receipt.issued_by.get_full_name() or receipt.issued_by.get_username()
        if receipt.issued_by
        else "Thu trực tuyến qua cổng thanh toán"
    )
    return {
        "r": receipt,
        "unit": receipt.unit,
        "number": f"{receipt.number:07d}",
        "collector": series.collector_name or receipt.unit.name,
        "tax_code": series.tax_code,
        "place": receipt.unit.name,
        "procedure_name": receipt.dossier.procedure.name,
        "items": items,
        "discount": rules.format_vnd(charge.discount) if charge and charge.discount else "",
        "exemption": charge.exemption_reason if charge else "",
        "amount": rules.format_vnd(receipt.amount),
        "officer": officer,
        "replaces_label": receipt_label(receipt.replaces) if receipt.replaces else "",
        "successor_label": receipt_label(successor) if successor else "",
        "refund": refund,
        "refund_amount": rules.format_vnd(refund.amount) if refund else "",
        "qr": qr_data_uri(f"{receipt.dossier.code}|{receipt_label(receipt)}"),
        "signed": signed,
        "today": timezone.localdate(),
    }


def render_receipt_pdf(receipt: Receipt) -> bytes:
    if signer() is not None:
        stored = _stored(receipt)
        if stored is not None:
            return stored
        with translation.override("vi"):
            html = render_to_string("payments/receipt.html", _context(receipt, signed=True))
        signed = _sign(_html_to_pdf(html), receipt)
        if signed is not None:
            return signed
    with translation.override("vi"):
        html = render_to_string("payments/receipt.html", _context(receipt, signed=False))
    return _html_to_pdf(html)


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = str(text)
    return element


def receipt_xml(receipt: Receipt) -> bytes:
    """The receipt as structured data (UTF-8 XML): the same fields as the PDF."""
    series = receipt.series
    root = ET.Element("BienLai", {"xmlns": XML_NAMESPACE})
    head = _sub(root, "ThongTinChung")
    _sub(head, "KyHieuMau", series.template)
    _sub(head, "KyHieu", series.series)
    _sub(head, "So", f"{receipt.number:07d}")
    _sub(head, "NgayLap", timezone.localtime(receipt.issued_at).isoformat())
    _sub(head, "TrangThai", receipt.status)
    if receipt.replaces:
        _sub(head, "ThayTheBienLai", receipt_label(receipt.replaces))
    if receipt.reason:
        _sub(head, "LyDo", receipt.reason)
    seller = _sub(root, "DonViThu")
    _sub(seller, "Ten", series.collector_name or receipt.unit.name)
    _sub(seller, "MaSoThue", series.tax_code)
    _sub(seller, "MaDonVi", receipt.unit.code)
    payer = _sub(root, "NguoiNop")
    _sub(payer, "Ten", receipt.payer_name)
    _sub(payer, "SoDinhDanh", receipt.payer_id_number)
    _sub(payer, "DiaChi", receipt.payer_address)
    _sub(root, "MaHoSo", receipt.dossier.code)
    items = _sub(root, "CacKhoanThu")
    for i in receipt.items:
        item = _sub(items, "KhoanThu", loai=str(i.get("kind", "")))
        _sub(item, "Ten", i.get("name", ""))
        _sub(item, "CanCuPhapLy", i.get("legal_basis", ""))
        _sub(item, "SoTien", int(i.get("amount", 0)))
    _sub(root, "TongTien", receipt.amount, donVi="VND")
    _sub(root, "TongTienBangChu", receipt.amount_in_words)
    _sub(root, "HinhThucThanhToan", receipt.method)
    _sub(root, "MaGiaoDich", receipt.payment.order_id)
    officer = receipt.issued_by.get_full_name() if receipt.issued_by else ""
    _sub(root, "NguoiThu", officer)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
