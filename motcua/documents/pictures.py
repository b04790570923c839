"""Pictures of a PDF's pages for the staff viewer: every browser shows a PNG, also those with
no PDF viewer of their own (a phone's, a headless one). Rendered on request by PDFium
(pypdfium2) from the stored bytes; nothing is kept on the server (a page is personal data)."""

from __future__ import annotations

import io
import threading

from motcua.documents import services
from motcua.documents.errors import DocumentNotFound
from motcua.documents.models import Document

#: Width in pixels of a page picture (the viewer's column), and the cap on its pixel count so
#: that an odd page size (a poster, a strip) cannot make a huge bitmap.
WIDTH = 900
MAX_PIXELS = 4_000_000
#: The viewer shows at most this many pages as pictures; the rest open in the browser's viewer.
PAGES_SHOWN = 30
#: PDFium is not thread-safe: one rendering at a time per process.
_PDFIUM = threading.Lock()


def pages_shown(document: Document) -> list[int]:
    """The page numbers the viewer shows as pictures (none for a file that is not a PDF)."""
    if document.media_type != "application/pdf" or not document.pages:
        return []
    return list(range(1, min(document.pages, PAGES_SHOWN) + 1))


def page_png(document: Document, page: int) -> bytes:
    """Page ``page`` (from 1) of the PDF ``document`` as a PNG ``WIDTH`` pixels wide. A page
    the document does not have, or bytes PDFium cannot open: DocumentNotFound (the viewer still
    offers the browser's own PDF viewer and the download)."""
    if page not in pages_shown(document):
        raise DocumentNotFound("no such page")
    import pypdfium2 as pdfium

    data = b"".join(services.content_of(document))  # at most MAX_FILE_BYTES
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:  # the stored bytes are not a PDF PDFium can open
            raise DocumentNotFound("no picture") from None
        try:
            if page > len(pdf):
                raise DocumentNotFound("no such page")
            sheet = pdf[page - 1]
            width, height = sheet.get_size()
            scale = WIDTH / max(width, 1.0)
            scale = min(scale, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = sheet.render(scale=scale).to_pil()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
