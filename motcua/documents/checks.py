"""Checking a file before anything is stored: its name, its size against the limits, its type
by its CONTENT (PDF, JPEG, PNG), a PDF readable and not encrypted, its SHA-256 and page count.
`inspect` answers the facts or a FileRefused naming the file and the reason."""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.documents import rules, storage
from motcua.documents.errors import FileRefused

SPOOL_MEMORY = 1024 * 1024


def limits() -> dict[str, int]:
    return {
        k: int(v)
        for k, v in settings.MOTCUA_DOCUMENTS.items()
        if k.startswith(("MAX_", "STAGING_", "ORPHAN_", "LINK_"))
    }


# ------------------------------------------------------------------------------- checking
@dataclass
class Inspected:
    """A checked file and its facts: the caller's file when it is already on disk (an upload
    Django wrote to a temporary file: read in place, moved into the filesystem storage),
    else a spool of its bytes (memory, then a temporary file)."""

    stream: IO[bytes]
    name: str
    media_type: str
    size: int
    sha256: str
    pages: int | None
    owned: bool = True

    def close(self) -> None:
        if self.owned:
            self.stream.close()


def refuse(name: str, why: str) -> FileRefused:
    return FileRefused(_("Tệp “%(name)s”: %(why)s") % {"name": name, "why": why}, field="file")


def _shown(name: str) -> str:
    return name.encode("utf-8", "replace").decode("utf-8")[:255]


def _pdf_pages(stream: IO[bytes], name: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise refuse(
                name,
                _(
                    "tệp PDF có đặt mật khẩu hoặc mã hoá, cán bộ không mở được. Hãy lưu lại "
                    "bản không đặt mật khẩu rồi gửi lại."
                ),
            )
        pages = len(reader.pages)
    except FileRefused:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
        ZeroDivisionError,
    ):
        pages = 0
    if pages < 1:
        raise refuse(
            name,
            _("tệp PDF bị hỏng hoặc không đọc được trang nào. Hãy quét hoặc xuất lại tệp PDF."),
        )
    return pages


def _drop(spool: IO[bytes], on_disk: bool) -> None:
    if not on_disk:
        spool.close()


def inspect(data: bytes | IO[bytes], name: str, *, max_bytes: int | None = None) -> Inspected:
    """Check a file and its name: the name carries no path, the file is not empty, not larger
    than the limit, is a PDF (not encrypted, readable), a JPEG or a PNG by its CONTENT.
    Refuses with a FileRefused naming the file and the reason."""
    shown = _shown(name or "")
    if rules.bad_name(name or ""):
        raise refuse(
            shown or "?",
            _(
                "tên tệp có chứa đường dẫn thư mục hoặc ký tự không hợp lệ. Hãy đặt lại tên "
                "tệp chỉ gồm chữ, số rồi chọn lại."
            ),
        )
    if len(name) > 255:
        raise refuse(shown, _("tên tệp dài quá 255 ký tự; hãy đặt tên ngắn hơn."))
    limit = limits()["MAX_FILE_BYTES"] if max_bytes is None else max_bytes
    source: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        source.seek(0)
    except (AttributeError, OSError):
        pass
    on_disk = hasattr(source, "temporary_file_path")
    spool: IO[bytes] = (
        source if on_disk else tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 - closed by caller
    )
    digest = hashlib.sha256()
    size = 0
    while True:
        block = source.read(storage.CHUNK)
        if not block:
            break
        size += len(block)
        if size > limit:
            _drop(spool, on_disk)
            raise refuse(
                shown,
                _(
                    "dung lượng vượt quá mức tối đa %(max)s cho mỗi tệp. Hãy quét với độ phân giải thấp hơn hoặc nén tệp."
                )
                % {"max": rules.human_size(limit)},
            )
        digest.update(block)
        if not on_disk:
            spool.write(block)
    if size == 0:
        _drop(spool, on_disk)
        raise refuse(shown, _("tệp không có nội dung (0 byte); hãy chọn lại tệp."))
    spool.seek(0)
    media_type = rules.sniff(spool.read(16))
    if media_type is None:
        _drop(spool, on_disk)
        raise refuse(
            shown,
            _(
                "không phải tệp PDF, JPEG hoặc PNG (hệ thống kiểm tra nội dung tệp, không chỉ "
                "phần đuôi tên tệp)."
            ),
        )
    pages = None
    if media_type == "application/pdf":
        try:
            pages = _pdf_pages(spool, shown)
        except FileRefused:
            _drop(spool, on_disk)
            raise
    spool.seek(0)
    return Inspected(spool, shown, media_type, size, digest.hexdigest(), pages, owned=not on_disk)
