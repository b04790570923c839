"""Pure checks of a file and its name (no ORM, nothing of the project)."""

from __future__ import annotations

import unicodedata

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(head: bytes) -> str | None:
    """The media type recognised from the first bytes of a file, or None."""
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            return mime
    return None


def bad_name(name: str) -> bool:
    """True when a file name as sent carries a directory, a parent reference, a control
    character or an unpaired surrogate."""
    if not name.strip() or name.strip() in {".", ".."}:
        return True
    if "/" in name or "\\" in name or ".." in name:
        return True
    for ch in name:
        if unicodedata.category(ch) in {"Cc", "Cs"}:
            return True
    return False


def human_size(n: int) -> str:
    """10 MB, 1,5 MB, 300 KB (Vietnamese decimal comma)."""
    if n >= 1024 * 1024:
        value = n / (1024 * 1024)
        text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
        return text.replace(".", ",") + " MB"
    return f"{max(1, round(n / 1024))} KB"


def same_paper(a: str, b: str) -> bool:
    """Whether two paper names name the same kind of paper (case and spacing aside)."""

    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).casefold().split())

    return bool(a.strip()) and norm(a) == norm(b)
