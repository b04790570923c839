"""The citizen's files: received, checked and stored outside the web root.

Where files go (all under ``settings.MEDIA_ROOT``, which the web server never serves):

* ``tmp/``       — the bytes of a request while it is being read (deleted when it ends);
* ``staging/<token>/`` — the checked files of a submission waiting for the citizen's review
  (swept after :data:`STAGING_TTL`);
* ``dossiers/<code>/`` — the files of a dossier, each under a generated name
  (``<32 hex>.<pdf|jpg|png>``), with ``manifest.json`` listing for each file the paper it
  stands for, the name the citizen's computer gave it (shown, never used as a path), its size,
  type, SHA-256, when it came and whether it came with the submission or a supplement.

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

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
STAGING_TTL = 24 * 3600  # seconds a reviewed-but-not-submitted set of files is kept
SNIFF_BYTES = 16

#: What the portal accepts, recognised by the first bytes of the file.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


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
@dataclass(frozen=True)
class StoredFile:
    """One stored file, as the manifest lists it."""

    document: str
    stored_name: str
    sent_name: str
    size: int
    content_type: str
    sha256: str
    at: str
    kind: str = "submission"  # or "supplement"

    @property
    def size_text(self) -> str:
        return human_size(self.size)

    @property
    def at_time(self) -> datetime:
        return datetime.fromisoformat(self.at)


def _copy_checked(upload: PortalUpload, folder: Path, document: str) -> StoredFile:
    sniffed = upload.sniff()
    if sniffed is None:  # pragma: no cover - checked before
        raise ValueError("store only checked files")
    ext, mime = sniffed
    stored_name = f"{secrets.token_hex(16)}.{ext}"
    digest = hashlib.sha256()
    target = folder / stored_name
    stream = upload.stream()
    stream.seek(0)
    with open(target, "xb") as out:  # noqa: PTH123 - exclusive create, never overwrite
        for chunk in iter(lambda: stream.read(64 * 1024), b""):
            digest.update(chunk)
            out.write(chunk)
    os.chmod(target, 0o640)  # noqa: PTH101
    return StoredFile(
        document=document,
        stored_name=stored_name,
        sent_name=upload.name or "",
        size=upload.size or 0,
        content_type=mime,
        sha256=digest.hexdigest(),
        at=timezone.now().isoformat(),
    )


def _sweep(now: float) -> None:
    """Forget reviews never submitted, and request files a crashed process left behind."""
    for name in ("staging", "tmp"):
        root = upload_root() / name
        if not root.is_dir():
            continue
        for entry in root.iterdir():
            try:
                if now - entry.stat().st_mtime <= STAGING_TTL:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            except OSError:  # pragma: no cover - raced with another process
                continue


def stage(files: list[tuple[str, PortalUpload]]) -> tuple[str, list[StoredFile]]:
    """Keep checked files, (paper, file) pairs, for the review step; returns a token."""
    _sweep(time.time())
    token = secrets.token_hex(16)
    folder = _folder("staging", token)
    return token, [_copy_checked(upload, folder, document) for document, upload in files]


def _valid_token(token: str) -> bool:
    return len(token) == 32 and all(c in "0123456789abcdef" for c in token)


def discard_staged(token: str) -> None:
    if _valid_token(token):
        shutil.rmtree(upload_root() / "staging" / token, ignore_errors=True)


def _dossier_folder(code: str) -> Path:
    if not code or not all(c.isalnum() or c in ".-" for c in code) or ".." in code:
        raise ValueError(f"unexpected dossier code {code!r}")
    return _folder("dossiers", code)


def _write_manifest(folder: Path, entries: list[StoredFile]) -> None:
    """Add ``entries`` to the folder's manifest (one writer at a time, replaced atomically)."""
    path = folder / "manifest.json"
    with open(folder / ".lock", "a") as lock:  # noqa: PTH123
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing: list[dict[str, Any]] = []
        if path.exists():
            existing = json.loads(path.read_text(encoding="utf-8"))
        existing.extend(asdict(e) for e in entries)
        tmp = folder / f".manifest-{secrets.token_hex(4)}.json"
        tmp.write_text(json.dumps(existing, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def commit_staged(token: str, staged: list[StoredFile], code: str) -> list[StoredFile]:
    """Move the staged files into the dossier's folder and add them to its manifest (inside the
    transaction that creates the dossier: a missing file fails the submission)."""
    if not _valid_token(token):
        raise ValueError("bad staging token")
    source = upload_root() / "staging" / token
    folder = _dossier_folder(code)
    moved = []
    for entry in staged:
        src = source / entry.stored_name
        if not src.is_file():
            raise FileNotFoundError(entry.stored_name)
        shutil.move(str(src), str(folder / entry.stored_name))
        moved.append(entry)
    _write_manifest(folder, moved)
    shutil.rmtree(source, ignore_errors=True)
    return moved


def store_for_dossier(
    code: str, files: list[tuple[str, PortalUpload]], *, kind: str
) -> list[StoredFile]:
    """Store checked files straight into the dossier's folder (a supplement)."""
    folder = _dossier_folder(code)
    stored = []
    for document, upload in files:
        entry = _copy_checked(upload, folder, document)
        stored.append(StoredFile(**{**asdict(entry), "kind": kind}))
    _write_manifest(folder, stored)
    return stored


def list_files(code: str) -> list[StoredFile]:
    """The manifest of a dossier's folder (empty when it has none)."""
    try:
        folder = upload_root() / "dossiers" / code
        path = folder / "manifest.json"
        if not path.is_file():
            return []
        return [StoredFile(**e) for e in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):  # pragma: no cover - a damaged manifest
        return []


def staged_from(data: list[dict[str, Any]]) -> list[StoredFile]:
    return [StoredFile(**d) for d in data]


def as_data(entries: list[StoredFile]) -> list[dict[str, Any]]:
    return [asdict(e) for e in entries]
