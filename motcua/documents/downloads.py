"""A document's bytes as an HTTP answer: streamed in chunks from the storage (a large file never
loads into memory), its media type, the Vietnamese file name encoded for every browser
(RFC 6266 / 5987), never cached, never sniffed. Short-lived links for the citizen: a signed
token naming the document (never the look-up secret)."""

from __future__ import annotations

from django.core import signing
from django.http import StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from motcua.documents import checks, services
from motcua.documents.models import Document

LINK_SALT = "motcua.documents.link"


def stream(document: Document, *, inline: bool = False) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        services.content_of(document), content_type=document.media_type
    )
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = content_disposition_header(not inline, document.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


def link_token(document: Document) -> str:
    """A token naming ``document``, valid for ``LINK_SECONDS`` (settings)."""
    return signing.dumps(
        {"d": document.dossier_id, "f": document.pk}, salt=LINK_SALT, compress=False
    )


def read_link(token: str) -> tuple[int, int] | None:
    """(dossier id, document id) of a valid, unexpired token; None otherwise."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=checks.limits()["LINK_SECONDS"])
        return int(data["d"]), int(data["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
