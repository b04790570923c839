"""Signing: one function for every signed output of MotCua (apology letters, results, receipts,
fee receipts)::

    from motcua.signatures.services import sign_pdf, identity_of_staff, seal_of_unit

    signed = sign_pdf(
        pdf_bytes,
        signer=identity_of_staff(leader, position="Chủ tịch", unit=unit.name),
        seal=seal_of_unit(unit),        # None: no organisational seal configured
        box="chu-ky",                   # the id of the element the form leaves for the signature
        verify_code=code,               # new_verify_code(): the QR of the stamp links to /xac-thuc/
    )
    stored = register_signed(pdf=signed, code=code, kind=Kind.RECEIPT, dossier_code=..., ...)

The visible box (signer, position, unit, time +07:00, QR code) is drawn with the forms' Noto
Serif font, so every Vietnamese diacritic survives. ``register_signed`` stores the bytes (before
its row commits) and registers their SHA-256 for the verification page; a signed file is never
rendered again: the e-mail attaches the stored bytes (renderer ``signed_file``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.core.errors import DomainError
from motcua.signatures import backends, demo
from motcua.signatures.backends import (
    SigningFailed,
    SigningKeyMissing,
    open_signer,
    outside_event_loop,
)
from motcua.signatures.models import Kind, RequestStatus, SignedFile, SigningRequest

logger = logging.getLogger("motcua.signatures")
# pyHanko subsets the stamp's font with fontTools, which reports each table at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

__all__ = [
    "Identity",
    "Prepared",
    "SigningInProgress",
    "get_request_for",
    "register_signing",
    "request_signature",
    "run_signing_request",
    "SigningFailed",
    "SigningKeyMissing",
    "identity_of_staff",
    "new_verify_code",
    "on_signed",
    "register_signed",
    "seal_of_unit",
    "sign_pdf",
    "signed_file_bytes",
    "signed_file_for",
    "verify_url",
]

BOX_WIDTH = 215.0  # points (~76 mm)
BOX_HEIGHT = 82.0  # points (~29 mm)
FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)


@dataclass(frozen=True)
class Identity:
    """Who signs: the key (a backends spec; secrets stay in the environment or the settings) and
    what the visible box says."""

    key: dict[str, Any]
    name: str
    position: str
    unit: str

    def __repr__(self) -> str:  # never print the key spec (it may carry a passphrase)
        return f"Identity({self.name!r}, {self.position!r}, {self.unit!r})"


def identity_of_staff(staff: Any, *, position: str, unit: str) -> Identity:
    """The key of a person (``staff:<username>``); in demo mode one issued by the DEMO CA.
    SigningKeyMissing (with who can fix it) when there is none."""
    name = staff.get_full_name() or staff.get_username()
    key = backends.key_for(f"staff:{staff.get_username()}")
    if key is None and backends.config().get("demo_fallback"):
        key = demo.key_for(f"staff:{staff.get_username()}", name)
    if key is None:
        raise SigningKeyMissing(
            _(
                "%(name)s chưa có khóa ký số trên hệ thống; quản trị viên cần cấu hình khóa "
                "(tệp PKCS#12, token hoặc dịch vụ ký từ xa) cho tài khoản %(username)s."
            )
            % {"name": name, "username": staff.get_username()}
        )
    return Identity(key=key, name=name, position=position, unit=unit)


def seal_of_unit(unit: Any) -> Identity | None:
    """The unit's organisational seal (``unit:<code>``) when configured, else None."""
    key = backends.key_for(f"unit:{unit.code}")
    if key is None:
        return None
    return Identity(key=key, name=unit.name, position=_("Con dấu của cơ quan"), unit=unit.name)


def new_verify_code() -> str:
    """The short code a signed document's QR links to (looked up on /xac-thuc/)."""
    return secrets.token_hex(8).upper()


def verify_url(code: str) -> str:
    site = str(getattr(settings, "MOTCUA", {}).get("SITE_URL", "")).rstrip("/")
    return f"{site}/xac-thuc/?ma={code}"


#: What a stamp may say: Latin, Vietnamese (precomposed and combining marks), punctuation, ₫.
STAMP_CHARACTERS = (
    set(range(0x20, 0x7F))
    | set(range(0xA0, 0x180))
    | set(range(0x1A0, 0x1B1))
    | set(range(0x300, 0x324))
    | set(range(0x1EA0, 0x1EFA))
    | set(range(0x2010, 0x2040))
    | {0x20AB}
)


@cache
def _font_path() -> str:
    """The stamp's font: the forms' Noto Serif cut down (once per machine and font) to the
    characters a stamp may say. pyHanko subsets the font again for every signature; on the
    whole Noto Serif that costs about a second, on the cut-down one a few milliseconds."""
    configured = backends.config().get("font")
    source = next((str(p) for p in (configured, *FONTS) if p and Path(p).exists()), None)
    if source is None:
        raise SigningFailed(_("Thiếu phông chữ Noto Serif để vẽ khung chữ ký (make browser-deps)."))
    stat = Path(source).stat()
    tag = hashlib.sha256(f"{source}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"motcua-stamp-{tag}.ttf"
    if not target.exists():
        from fontTools import subset
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.layout_features = ["ccmp", "mark", "mkmk", "kern"]
        options.name_IDs = ["*"]
        options.hinting = False
        font = TTFont(source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_CHARACTERS)
        subsetter.subset(font)
        staging = target.with_name(f".{target.name}.{os.getpid()}")
        font.save(str(staging))
        staging.replace(target)  # atomic: a concurrent process finds a whole file or none
    return str(target)


@cache
def _font_program(path: str) -> tuple[bytes, bytes]:
    """The stamp font's file and its Flate-compressed form, read and compressed once per
    process (the ``/FontFile2`` stream of every stamp)."""
    raw = Path(path).read_bytes()
    return raw, zlib.compress(raw)


@cache
def _font_engine_factory() -> type:
    """A pyHanko glyph accumulator that embeds the stamp font as it is, without subsetting it
    again: `_font_path` already cut Noto Serif down to what a stamp may say (about 55 kB, 25 kB
    compressed), and pyHanko's own subsetting (decompiling the layout tables, then saving the
    font) took about two thirds of a signature's time. The glyph ids stay those of the file, as
    pyHanko's subsets keep them (``retain_gids``); the text is shaped by HarfBuzz as before."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.font.opentype import (
        CIDFontType2,
        GlyphAccumulator,
        GlyphAccumulatorFactory,
    )

    class WholeFontType2(CIDFontType2):  # type: ignore[misc]
        program: tuple[bytes, bytes] = (b"", b"")

        def set_font_file(self, writer: Any) -> Any:
            raw, packed = self.program
            stream = generic.StreamObject(
                {"/Filter": generic.NameObject("/FlateDecode")},
                stream_data=raw,
                encoded_data=packed,
            )
            ref = writer.add_object(stream)
            self._font_descriptor[generic.NameObject("/FontFile2")] = ref
            return ref

    class WholeFontAccumulator(GlyphAccumulator):  # type: ignore[misc]
        def __init__(self, *args: Any, program: tuple[bytes, bytes], **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if type(self.cidfont_obj) is CIDFontType2:  # a TrueType font (CFF: pyHanko's way)
                font: Any = self.cidfont_obj
                font.__class__ = WholeFontType2
                font.program = program
                self._subset_created = True

    class WholeFontFactory(GlyphAccumulatorFactory):  # type: ignore[misc]
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            program = _font_program(self.font_file)
            return WholeFontAccumulator(
                writer=writer,
                font_handle=io.BytesIO(program[0]),
                font_size=self.font_size,
                ot_script_tag=self.ot_script_tag,
                ot_language_tag=self.ot_language_tag,
                writing_direction=self.writing_direction,
                bcp47_lang_code=self.bcp47_lang_code,
                obj_stream=obj_stream,
                program=program,
            )

    return WholeFontFactory


def _font() -> Any:
    return _font_engine_factory()(_font_path())


def _locate(pdf: bytes, anchor: str | None) -> tuple[int, tuple[float, float, float, float]]:
    """The page and rectangle of the signature box: the named destination ``anchor`` that
    WeasyPrint writes for the element with that id (its top-left corner), else the bottom right
    of the last page."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = [reader.find_page_for_modification(i)[0] for i in range(_page_count(reader))]
    if anchor:
        names = reader.root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        flat = list(dests.get("/Names", [])) if dests is not None else []
        for key, value in zip(flat[::2], flat[1::2], strict=False):
            if str(key) == anchor:
                dest = value.get_object() if hasattr(value, "get_object") else value
                page_ref = dest.raw_get(0)
                x, top = float(dest[2]), float(dest[3])
                for index, page in enumerate(pages):
                    if page.idnum == page_ref.idnum:
                        return index, (x, top - BOX_HEIGHT, x + BOX_WIDTH, top)
    box = reader.find_page_for_modification(len(pages) - 1)[0].get_object()["/MediaBox"]
    right, bottom = float(box[2]) - 40, float(box[1]) + 60
    return len(pages) - 1, (right - BOX_WIDTH, bottom, right, bottom + BOX_HEIGHT)


def _page_count(reader: Any) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _local(now: datetime) -> str:
    return timezone.localtime(now).strftime("%H:%M:%S %d/%m/%Y %z").replace("+0700", "+07:00")


def _sign_once(
    pdf: bytes,
    *,
    who: Identity,
    field: str,
    page: int,
    rect: tuple[float, float, float, float],
    now: datetime,
    verify_code: str | None,
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import QRStampStyle, TextStampStyle

    with override("vi"):
        text = "\n".join(
            [
                _("Ký bởi: %(name)s") % {"name": "%(signer_name)s"},
                "%(position)s",
                "%(unit)s",
                _("Thời gian: %(at)s") % {"at": "%(at)s"},
            ]
        )
        reason = _("Ký số văn bản hành chính")
    text_style = TextBoxStyle(font=_font(), font_size=8, leading=10)
    style: Any
    params: dict[str, str] = {
        "signer_name": who.name,
        "position": who.position,
        "unit": who.unit,
        "at": _local(now),
    }
    if verify_code:
        style = QRStampStyle(stamp_text=text, text_box_style=text_style, border_width=1)
        params["url"] = verify_url(verify_code)
    else:
        style = TextStampStyle(stamp_text=text, text_box_style=text_style, border_width=1)
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=who.name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    x1, y1, x2, y2 = rect
    with open_signer(who.key) as key:
        pdf_signer = signers.PdfSigner(
            meta,
            signer=key,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(
                field, on_page=page, box=(round(x1), round(y1), round(x2), round(y2))
            ),
        )
        try:
            out = outside_event_loop(
                pdf_signer.sign_pdf, writer, appearance_text_params=params, bytes_reserved=16384
            )
        except SigningFailed:
            raise
        except Exception as exc:
            raise SigningFailed(
                _("Thiết bị hoặc dịch vụ ký không ký được văn bản: %(error)s")
                % {"error": type(exc).__name__}
            ) from exc
    return bytes(out.getvalue())


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: Identity,
    seal: Identity | None = None,
    box: str | None = "chu-ky",
    verify_code: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """``pdf_bytes`` signed (PAdES, SHA-256) by ``signer`` in a visible Vietnamese box at the
    element ``box`` of the form (its named destination), then, when given, sealed by the unit
    as a second signature over the left third of the box (Decree 30/2020). Raises SigningFailed
    with the reason; nothing is stored here (see register_signed)."""
    now = now or timezone.now()
    page, rect = _locate(pdf_bytes, box)
    signed = _sign_once(
        pdf_bytes,
        who=signer,
        field="ChuKyNguoiKy",
        page=page,
        rect=rect,
        now=now,
        verify_code=verify_code,
    )
    if seal is not None:
        x1, y1, x2, y2 = rect
        seal_rect = (x1 - BOX_WIDTH / 3, y1 - BOX_HEIGHT, x1 + BOX_WIDTH * 2 / 3, y1 - 4)
        if seal_rect[0] < 10:
            seal_rect = (10, y1 - BOX_HEIGHT, 10 + BOX_WIDTH, y1 - 4)
        signed = _sign_once(
            signed,
            who=seal,
            field="DauCoQuan",
            page=page,
            rect=seal_rect,
            now=now,
            verify_code=None,
        )
    return signed


def register_signed(
    *,
    pdf: bytes,
    code: str,
    kind: str,
    signer_name: str,
    dossier_code: str = "",
    subject_id: int | None = None,
    signed_by: Any = None,
    signed_at: datetime | None = None,
) -> SignedFile:
    """Store a signed PDF (its bytes first, then its row, inside the caller's transaction) and
    register its SHA-256 for the verification page."""
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    digest = hashlib.sha256(pdf).hexdigest()
    row = SignedFile(
        sha256=digest,
        code=code,
        kind=kind,
        dossier_code=dossier_code,
        subject_id=subject_id,
        size=len(pdf),
        signer_name=signer_name[:200],
        signed_by=signed_by,
        signed_at=signed_at or timezone.now(),
    )
    row.file.save(f"{code}.pdf", ContentFile(pdf), save=False)
    row.save()
    for listener in _listeners:
        listener(signed=row, pdf=pdf)
    return row


#: Who else keeps a signed file, inside the transaction that registers it: the documents app
#: files a signed form (Mẫu 04, Mẫu 01) among the dossier's papers (registered from its
#: AppConfig.ready(); this app imports nothing above it).
_listeners: list[Callable[..., object]] = []


def on_signed(listener: Callable[..., object]) -> Callable[..., object]:
    """Add ``listener(*, signed, pdf)`` to what `register_signed` calls (once)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def signed_file_for(kind: str, subject_id: int) -> SignedFile | None:
    return SignedFile.objects.filter(kind=kind, subject_id=subject_id).order_by("-pk").first()


def signed_file_bytes(*, signed_file_id: int) -> bytes:
    """The stored bytes of a signed file (the e-mail attachment renderer ``signed_file``)."""
    row = SignedFile.objects.get(pk=signed_file_id)
    with row.file.open("rb") as fh:
        return bytes(fh.read())


# ------------------------------------------------------------------ signing requests (a task)
@dataclass(frozen=True)
class Prepared:
    """What a kind's ``prepare`` gives: the PDF exactly as it will be signed, and who signs."""

    pdf: bytes
    signer: Identity
    seal: Identity | None = None
    box: str | None = "chu-ky"


@dataclass(frozen=True)
class Handler:
    """How a kind of document is signed through a request: ``prepare(subject_id=, actor=)``
    checks the actor may sign (raising its DomainError) and renders; ``complete(subject_id=,
    actor=, pdf=, code=)`` runs inside the request's transaction, records the domain change
    (one event) and returns the SignedFile it registered."""

    prepare: Callable[..., Prepared]
    complete: Callable[..., SignedFile]


_handlers: dict[str, Handler] = {}


def register_signing(
    kind: str, *, prepare: Callable[..., Prepared], complete: Callable[..., SignedFile]
) -> None:
    """Register a kind's handler (from the owning app's AppConfig.ready())."""
    _handlers[kind] = Handler(prepare=prepare, complete=complete)


class SigningInProgress(DomainError):
    code = "signing_in_progress"


def request_signature(
    *, kind: str, subject_id: int, actor: Any, dossier_code: str = ""
) -> SigningRequest:
    """The leader confirmed: a pending request (one per document: a second click or a second
    leader meets SigningInProgress), signed by the worker after commit. The actor's right to
    sign is checked now, and again when the worker records the signature."""
    handler = _handlers.get(kind)
    if handler is None:
        raise ValueError(f"no signing handler for {kind!r}")
    with transaction.atomic():
        if SigningRequest.objects.filter(
            kind=kind, subject_id=subject_id, status=RequestStatus.PENDING
        ).exists():
            raise SigningInProgress(
                _("Văn bản này đang được ký; hãy chờ kết quả của lần ký trước.")
            )
        try:
            with transaction.atomic():
                req = SigningRequest.objects.create(
                    kind=kind,
                    subject_id=subject_id,
                    dossier_code=dossier_code,
                    requested_by=actor,
                    created_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise SigningInProgress(
                _("Văn bản này đang được ký; hãy chờ kết quả của lần ký trước.")
            ) from exc
        from motcua.signatures.tasks import run_signing_request_task

        transaction.on_commit(partial(run_signing_request_task, req.pk))
    return req


def _fail(request_id: int, message: str) -> None:
    with transaction.atomic():
        SigningRequest.objects.filter(pk=request_id, status=RequestStatus.PENDING).update(
            status=RequestStatus.FAILED, error=message[:2000], finished_at=timezone.now()
        )


def run_signing_request(request_id: int) -> SigningRequest:
    """The worker's part: render, sign (a token or a phone may take a while: no transaction is
    open meanwhile), then record everything in ONE transaction. A refusal or a failure changes
    nothing but the request, which says why."""
    req = SigningRequest.objects.select_related("requested_by").get(pk=request_id)
    if req.status != RequestStatus.PENDING:
        return req
    handler = _handlers[req.kind]
    actor = req.requested_by
    try:
        prepared = handler.prepare(subject_id=req.subject_id, actor=actor)
        code = new_verify_code()
        signed = sign_pdf(
            prepared.pdf,
            signer=prepared.signer,
            seal=prepared.seal,
            box=prepared.box,
            verify_code=code,
        )
        with transaction.atomic():
            locked = SigningRequest.objects.select_for_update().get(pk=request_id)
            if locked.status != RequestStatus.PENDING:
                return locked
            stored = handler.complete(subject_id=req.subject_id, actor=actor, pdf=signed, code=code)
            locked.status = RequestStatus.DONE
            locked.signed_file = stored
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "signed_file", "finished_at"])
            return locked
    except DomainError as exc:
        _fail(request_id, exc.message)
    except Exception as exc:
        logger.exception("signing request %s failed", request_id)
        _fail(
            request_id,
            _("Không ký được vì lỗi hệ thống (%(error)s); hãy thử lại hoặc báo quản trị viên.")
            % {"error": type(exc).__name__},
        )
    return SigningRequest.objects.get(pk=request_id)


def get_request_for(request_id: int, actor: Any) -> SigningRequest | None:
    """A signing request as its requester sees it (another person's: None, i.e. 404)."""
    return (
        SigningRequest.objects.filter(pk=request_id, requested_by=actor)
        .select_related("signed_file")
        .first()
    )
