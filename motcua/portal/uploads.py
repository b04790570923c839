"""The citizen's files: received, checked and stored outside the web root.

Where files go (all under ``settings.MEDIA_ROOT``, which the web server never serves):

* ``tmp/``       — the bytes of a request while it is being read (deleted when it ends);

then the documents app stores the checked files through the storage API: staged under the
browser's token while the citizen fills and reviews the form, then as the dossier's Documents
(`motcua.documents`; the name the citizen's computer gave a file is shown, never used as a key).

What is refused, each with a sentence the citizen can act on:

* a file over :func:`max_upload_bytes` (10 MB; ``settings.MOTCUA_UPLOAD_MAX_BYTES`` overrides):
  the bytes past the limit are read and dropped, never kept in memory or on disk;
* a file whose CONTENT is not a PDF, JPEG or PNG (its first bytes are checked; the extension
  and the browser's content type are not trusted: an .exe renamed .pdf is refused);
* a file name carrying a directory (``../../etc/x.pdf``, ``C:\\x\\y.pdf``): Django's parser
  would silently keep only the last part; the portal's parser keeps the name as sent so that the
  citizen is told, and the file is refused;
* an empty file.

Use :func:`accept_uploads` on a view BEFORE anything reads ``request.POST`` (the view must be
``csrf_exempt`` and check CSRF itself with ``csrf_protect`` afterwards, as Django documents for
custom upload handlers).
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 16

#: What the portal accepts, recognised by the first bytes of the file.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def max_upload_bytes() -> int:
    """The limit per file: ``MOTCUA_UPLOAD_MAX_BYTES`` when set, else the documents' own."""
    documents = getattr(settings, "MOTCUA_DOCUMENTS", {}).get("MAX_FILE_BYTES")
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", documents or DEFAULT_MAX_UPLOAD_BYTES))


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _folder(*parts: str) -> Path:
    root = upload_root()
    path = root.joinpath(*parts).resolve()
    if root != path and root not in path.parents:  # pragma: no cover - names are generated
        raise ValueError(f"{path} is outside {root}")
    path.mkdir(parents=True, exist_ok=True)
    return path


def human_size(n: int) -> str:
    """10 MB, 1,5 MB, 300 KB (Vietnamese decimal comma)."""
    if n >= 1024 * 1024:
        value = n / (1024 * 1024)
        text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
        return text.replace(".", ",") + " MB"
    return f"{max(1, round(n / 1024))} KB"


def has_directory(name: str) -> bool:
    """True when a file name as sent carries a directory or a parent reference."""
    return "/" in name or "\\" in name or name.strip() in {".", ".."} or "\x00" in name


# ---------------------------------------------------------------------------------- receiving
class PortalUpload(UploadedFile):
    """A received file, in a temporary file under MEDIA_ROOT/tmp, with what was wrong with it."""

    def __init__(
        self,
        file: IO[bytes],
        *,
        name: str,
        sent_name: str,
        content_type: str,
        size: int,
        too_large: bool,
    ) -> None:
        super().__init__(file, name=name, content_type=content_type, size=size)
        self.sent_name = sent_name
        self.too_large = too_large

    def stream(self) -> IO[bytes]:
        if self.file is None:  # pragma: no cover - closed files are never checked
            raise ValueError("the upload is closed")
        return self.file  # type: ignore[no-any-return]

    def sniff(self) -> tuple[str, str] | None:
        """(extension, content type) recognised from the first bytes, or None."""
        stream = self.stream()
        stream.seek(0)
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        for magic, ext, mime in SIGNATURES:
            if head.startswith(magic):
                return ext, mime
        return None

    def problem(self) -> str | None:
        """The sentence that refuses this file, or None when it is acceptable."""
        shown = self.sent_name or self.name or ""
        if has_directory(self.sent_name):
            return _(
                "Tên tệp “%(name)s” có chứa đường dẫn thư mục, nên không được nhận. Hãy đặt lại "
                "tên tệp chỉ gồm chữ, số (không có dấu / hoặc \\ hay ..) rồi chọn lại tệp."
            ) % {"name": shown}
        if self.too_large:
            return _(
                "Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(max)s cho mỗi tệp. "
                "Hãy quét lại với độ phân giải thấp hơn hoặc nén tệp PDF rồi chọn lại."
            ) % {
                "name": shown,
                "size": human_size(self.size or 0),
                "max": human_size(max_upload_bytes()),
            }
        if not self.size:
            return _("Tệp “%(name)s” không có nội dung; hãy chọn lại tệp.") % {"name": shown}
        if self.sniff() is None:
            return _(
                "Tệp “%(name)s” không phải là tệp PDF, JPEG hoặc PNG (hệ thống kiểm tra nội dung "
                "tệp, không chỉ phần đuôi tên tệp). Hãy chọn bản quét hoặc ảnh chụp giấy tờ ở "
                "dạng PDF, JPG hoặc PNG."
            ) % {"name": shown}
        return None


class PortalUploadHandler(FileUploadHandler):
    """Streams each file to a temporary file under MEDIA_ROOT/tmp, keeping at most the limit
    (plus nothing: bytes past it are counted and dropped)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.sent_name = ""  # set by PortalParser just before new_file()
        self._tmp: IO[bytes] | None = None
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._size = 0
        self._tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the upload
            dir=_folder("tmp"), prefix="upload-", suffix=".part"
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        assert self._tmp is not None  # noqa: S101 - new_file() always runs first
        self._size += len(raw_data)
        if self._size <= self.limit:
            self._tmp.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> PortalUpload:
        assert self._tmp is not None  # noqa: S101
        self._tmp.flush()
        self._tmp.seek(0)
        upload = PortalUpload(
            self._tmp,
            name=self.file_name or "",
            sent_name=self.sent_name or self.file_name or "",
            content_type=self.content_type or "",
            size=self._size,
            too_large=self._size > self.limit,
        )
        self._tmp = None
        self.sent_name = ""
        return upload


class PortalParser(MultiPartParser):
    """Django's parser, telling the portal's handler the file name exactly as it was sent."""

    def __init__(self, META: Any, input_data: Any, handler: PortalUploadHandler, encoding: Any):  # noqa: N803
        super().__init__(META, input_data, [handler], encoding)
        self.portal_handler = handler

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean = super().sanitize_file_name(file_name)
        self.portal_handler.sent_name = file_name
        if clean is None and file_name.strip():
            return "tep"  # "../.." would be dropped silently; keep it to refuse it aloud
        return clean


def accept_uploads(request: HttpRequest) -> None:
    """Install the portal's handler and parser on ``request`` (before POST/FILES are read)."""
    handler = PortalUploadHandler(request)
    request.upload_handlers = [handler]

    def parse_file_upload(META: Any, post_data: Any) -> Any:  # noqa: N803 - Django's name
        return PortalParser(META, post_data, handler, request.encoding).parse()

    request.parse_file_upload = parse_file_upload  # type: ignore[method-assign]


# ----------------------------------------------------------------------------------- storing
# The bytes are kept by the documents app (`motcua.documents.services`): staged files of the
# online form are stored through the storage API under the browser's staging token (any web
# process finds them; they survive a validation error; a periodic task sweeps them after the
# grace period; per-session caps), and become the dossier's Documents when it is created.


@dataclass(frozen=True)
class FileView:
    """A stored file as the portal's pages show it."""

    document: str
    sent_name: str
    size: int
    content_type: str

    @property
    def size_text(self) -> str:
        return human_size(self.size)


def view_of(row: Any) -> FileView:
    """A staged file or a Document, for the pages."""
    return FileView(
        document=getattr(row, "paper_name", "") or "",
        sent_name=row.name,
        size=row.size,
        content_type=row.media_type,
    )


STAGING_KEY = "portal_staging"


def staging_token(request: HttpRequest) -> str:
    """The browser's staging token (kept in its session), made on first use."""
    token = request.session.get(STAGING_KEY)
    if not isinstance(token, str) or len(token) != 32:
        token = secrets.token_hex(16)
        request.session[STAGING_KEY] = token
    return token


def stage_papers(
    request: HttpRequest, papers: list[tuple[str, str, PortalUpload]]
) -> dict[str, str]:
    """Store each acceptable chosen file (field key, paper name, file) at once, replacing the
    paper's earlier file; the refusals by field key. A file the portal's own checks refuse is
    not stored (the form says why)."""
    from motcua.documents.errors import FileRefused
    from motcua.documents.services import stage_file

    token = staging_token(request)
    refused: dict[str, str] = {}
    for key, paper, upload in papers:
        if upload.problem() is not None:
            continue
        try:
            stage_file(
                token=token,
                paper_name=paper,
                data=upload.stream(),
                name=upload.sent_name or upload.name or "",
            )
        except FileRefused as exc:
            refused[key] = exc.message
    return refused


def staged(request: HttpRequest) -> list[Any]:
    from motcua.documents.services import staged_files

    token = request.session.get(STAGING_KEY)
    return staged_files(token) if isinstance(token, str) else []


def discard_staged(request: HttpRequest) -> None:
    from motcua.documents.services import discard_staged as discard

    token = request.session.pop(STAGING_KEY, None)
    if isinstance(token, str):
        discard(token)
