"""The delivery channels behind one small interface: ``send(outgoing) -> provider id``.

* console — writes the notice to the log (the default; nothing leaves the machine);
* email — Django's email backend (SMTP in production: EMAIL_BACKEND=smtp), with attachments;
* sms, zalo — HTTP adapters configured by URL and token (MOTCUA_SMS_URL/MOTCUA_SMS_TOKEN,
  MOTCUA_ZALO_URL/MOTCUA_ZALO_TOKEN). A channel without a URL falls back to the log.

A channel raises :class:`DeliveryError` when a send fails: ``permanent=True`` when trying again
cannot help (a refused address, a 4xx answer), otherwise the worker retries with backoff.

Exactly once
------------
Every call for a message carries the same idempotency key, ``motcua-message-<id>``: the HTTP
header ``Idempotency-Key`` (and the payload's ``reference`` / ``tracking_id``), the email's
``Message-ID`` header. A worker killed after the provider accepted a message but before the row was
marked sent sends it again after its lease expires; a provider that honours the key (as the test
fakes do) answers with the first delivery's id instead of delivering twice. Real providers must be
configured or fronted by a gateway that does the same; plain SMTP has no such promise, so an email
may — in that crash window only — arrive twice, with the same Message-ID, which mail clients
collapse.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formataddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.notifications.models import Channel

logger = logging.getLogger("motcua.notifications")

__all__ = [
    "Attachment",
    "ChannelAdapter",
    "ConsoleChannel",
    "DeliveryError",
    "EmailChannel",
    "HttpChannel",
    "Outgoing",
    "SmsChannel",
    "ZaloChannel",
    "get_channel",
    "has_attachment_renderer",
    "normalize_phone",
    "register_attachment_renderer",
    "resolve_attachments",
]


class DeliveryError(Exception):
    """A send that did not go through; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs to send one message."""

    message_id: int
    idempotency_key: str
    address: str
    recipient_name: str
    subject: str
    body: str
    short: str = ""
    attachments: list[Attachment] = field(default_factory=list)


class ChannelAdapter(Protocol):
    code: str

    def send(self, out: Outgoing) -> str:
        """Deliver `out`; return the provider's id for it. Raise DeliveryError on failure."""
        ...


# ----------------------------------------------------------------------------- attachments
AttachmentRenderer = Callable[..., bytes]
_renderers: dict[str, AttachmentRenderer] = {}


def register_attachment_renderer(name: str) -> Callable[[AttachmentRenderer], AttachmentRenderer]:
    """Register a function that renders an attachment when the message is sent, e.g.::

        @register_attachment_renderer("dossier_form")
        def render_form(*, dossier_id: int, form: str) -> bytes: ...

    and queue ``{"filename": "mau-04.pdf", "mimetype": "application/pdf",
    "renderer": "dossier_form", "params": {"dossier_id": 7, "form": "04"}}``. Register it at
    import time of a module every process loads (an AppConfig.ready()).
    """

    def decorator(fn: AttachmentRenderer) -> AttachmentRenderer:
        _renderers[name] = fn
        return fn

    return decorator


def has_attachment_renderer(name: str) -> bool:
    return name in _renderers


def check_attachment_spec(spec: Mapping[str, Any]) -> None:
    """Refuse an attachment the worker could not resolve (called when the message is queued)."""
    if not spec.get("filename"):
        raise ValueError("an attachment needs a filename")
    kinds = [k for k in ("content_b64", "path", "renderer") if k in spec]
    if len(kinds) != 1:
        raise ValueError("an attachment needs exactly one of content_b64, path, renderer")
    if "renderer" in spec and spec["renderer"] not in _renderers:
        raise ValueError(f"unknown attachment renderer {spec['renderer']!r}")


def resolve_attachments(specs: list[Mapping[str, Any]]) -> list[Attachment]:
    """The files of a message's attachment specs (inline base64, a file under MEDIA_ROOT, or a
    registered renderer)."""
    files: list[Attachment] = []
    for spec in specs:
        mimetype = spec.get("mimetype") or "application/octet-stream"
        if "content_b64" in spec:
            content = base64.b64decode(spec["content_b64"])
        elif "path" in spec:
            root = Path(settings.MEDIA_ROOT).resolve()
            path = (root / spec["path"]).resolve()
            if not path.is_relative_to(root):
                raise DeliveryError(
                    f"attachment outside MEDIA_ROOT: {spec['path']}", permanent=True
                )
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise DeliveryError(f"attachment unreadable: {exc}") from exc
        else:
            renderer = _renderers.get(spec.get("renderer", ""))
            if renderer is None:
                raise DeliveryError(f"unknown attachment renderer {spec.get('renderer')!r}")
            content = renderer(**spec.get("params", {}))
        files.append(Attachment(spec["filename"], content, mimetype))
    return files


# ---------------------------------------------------------------------------------- channels
class ConsoleChannel:
    """Writes the notice to the log: the default, and the fallback of an unconfigured channel."""

    code = Channel.CONSOLE.value

    def __init__(self, via: str = "") -> None:
        self.via = via

    def send(self, out: Outgoing) -> str:
        logger.info(
            "notice %s%s to %s <%s>: %s\n%s",
            out.idempotency_key,
            f" (channel {self.via} not configured)" if self.via else "",
            out.recipient_name,
            out.address,
            out.subject,
            out.body,
        )
        return f"console:{out.idempotency_key}"


def _email_domain() -> str:
    sender = str(settings.DEFAULT_FROM_EMAIL)
    match = re.search(r"@([A-Za-z0-9.-]+)", sender)
    return match.group(1) if match else "motcua.local"


class EmailChannel:
    """Django's email backend; the Message-ID is the idempotency key, stable across attempts."""

    code = Channel.EMAIL.value

    def send(self, out: Outgoing) -> str:
        # Not make_msgid(), which adds a random part: the id must be the same on every attempt.
        message_id = f"<{out.idempotency_key}@{_email_domain()}>"
        email = EmailMessage(
            subject=out.subject,
            body=out.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[
                formataddr((out.recipient_name, out.address)) if out.recipient_name else out.address
            ],
            headers={"Message-ID": message_id, "X-MotCua-Message": out.idempotency_key},
        )
        for item in out.attachments:
            email.attach(item.filename, item.content, item.mimetype)
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # smtplib's and the socket's errors, whatever the backend
            code = getattr(exc, "smtp_code", None)
            permanent = isinstance(code, int) and 500 <= code < 600
            if exc.__class__.__name__ == "SMTPRecipientsRefused":
                permanent = True
            raise DeliveryError(f"email: {exc!r}", permanent=permanent) from exc
        return message_id


def normalize_phone(phone: str) -> str:
    """A Vietnamese number as digits with the country code: "0912 345 678" → "84912345678"."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return digits
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


_local = threading.local()


def _connection(
    scheme: str, netloc: str, timeout: float
) -> tuple[http.client.HTTPConnection, bool]:
    """This thread's connection to `netloc` (opened on first use) and whether it was kept."""
    pool: dict[tuple[str, str], http.client.HTTPConnection] = _local.__dict__.setdefault("pool", {})
    conn = pool.get((scheme, netloc))
    if conn is not None:
        return conn, True
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = pool[(scheme, netloc)] = cls(netloc, timeout=timeout)
    return conn, False


def _forget(scheme: str, netloc: str) -> None:
    pool: dict[tuple[str, str], http.client.HTTPConnection] = _local.__dict__.get("pool", {})
    conn = pool.pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


class HttpChannel:
    """POST a JSON payload to a provider (or a gateway in front of it) with a bearer token.

    2xx: sent; the provider id is read from ``id``, ``message_id``, ``msg_id`` or
    ``data.msg_id``. 4xx (except 408, 425, 429): refused for good. Anything else: retried.
    Subclasses shape the payload (``payload``) and the headers for their provider.
    """

    code = ""

    def __init__(self, *, url: str, token: str, timeout: float) -> None:
        if urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError(f"{self.code} channel URL must be http(s): {url!r}")
        self.url = url
        self.token = token
        self.timeout = timeout

    def payload(self, out: Outgoing) -> dict[str, Any]:
        raise NotImplementedError

    def headers(self, out: Outgoing) -> dict[str, str]:
        return {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": out.idempotency_key,
        }

    def send(self, out: Outgoing) -> str:
        if not out.address:
            raise DeliveryError(f"{self.code}: no phone number", permanent=True)
        body = json.dumps(self.payload(out), ensure_ascii=False).encode()
        status, raw = self._post(body, self.headers(out))
        if not 200 <= status < 300:
            detail = raw[:300].decode(errors="replace")
            permanent = 400 <= status < 500 and status not in {408, 425, 429}
            raise DeliveryError(f"{self.code}: HTTP {status} {detail}", permanent=permanent)
        return self.provider_id(raw)

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST on this thread's kept-alive connection to the provider (TLS is set up once, not
        per message). A kept connection the provider has closed meanwhile is opened again once:
        safe, the idempotency key makes the repeat harmless."""
        parts = urlsplit(self.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            conn, reused = _connection(parts.scheme, parts.netloc, self.timeout)
            try:
                conn.request("POST", path, body=body, headers=headers)
                answer = conn.getresponse()
                raw = answer.read()
                if answer.will_close:
                    _forget(parts.scheme, parts.netloc)
                return answer.status, raw
            except (http.client.HTTPException, OSError) as exc:  # refused, reset, timed out
                _forget(parts.scheme, parts.netloc)
                stale = reused and isinstance(
                    exc, http.client.RemoteDisconnected | BrokenPipeError | ConnectionResetError
                )
                if attempt == 1 and stale:
                    continue
                raise DeliveryError(f"{self.code}: {exc!r}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def provider_id(self, raw: bytes) -> str:
        try:
            data = json.loads(raw or b"{}")
        except ValueError as exc:
            raise DeliveryError(f"{self.code}: answer is not JSON: {raw[:100]!r}") from exc
        if not isinstance(data, dict):
            raise DeliveryError(f"{self.code}: unexpected answer {data!r}")
        if data.get("error") not in (None, 0, "0"):
            raise DeliveryError(f"{self.code}: provider error {data.get('error')}: {data}")
        inner: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else {}
        for value in (
            data.get("id"),
            data.get("message_id"),
            data.get("msg_id"),
            inner.get("msg_id"),
        ):
            if value not in (None, ""):
                return str(value)
        raise DeliveryError(f"{self.code}: the answer carries no message id: {data}")


class SmsChannel(HttpChannel):
    """``{"to": "84…", "text": …, "reference": <idempotency key>}``; the SMS text of the
    template when it has one."""

    code = Channel.SMS.value

    def payload(self, out: Outgoing) -> dict[str, Any]:
        return {
            "to": normalize_phone(out.address),
            "text": out.short or out.body,
            "reference": out.idempotency_key,
        }


class ZaloChannel(HttpChannel):
    """Zalo OA / ZNS: ``{"phone": "84…", "text": …, "tracking_id": <idempotency key>}`` with the
    token also in the ``access_token`` header, as Zalo's open API expects. ZNS proper sends
    pre-approved templates (template_id + template_data): a gateway maps our text onto them."""

    code = Channel.ZALO.value

    def headers(self, out: Outgoing) -> dict[str, str]:
        return {**super().headers(out), "access_token": self.token}

    def payload(self, out: Outgoing) -> dict[str, Any]:
        return {
            "phone": normalize_phone(out.address),
            "text": out.body,
            "tracking_id": out.idempotency_key,
        }


def get_channel(code: str) -> ChannelAdapter:
    """The adapter of a channel, from the current settings (cheap; built on every call)."""
    conf: dict[str, Any] = settings.MOTCUA_NOTIFY
    if code == Channel.EMAIL:
        return EmailChannel()
    if code in (Channel.SMS, Channel.ZALO):
        prefix = "SMS" if code == Channel.SMS else "ZALO"
        url = conf.get(f"{prefix}_URL", "")
        if not url:
            return ConsoleChannel(via=code)
        cls = SmsChannel if code == Channel.SMS else ZaloChannel
        return cls(url=url, token=conf.get(f"{prefix}_TOKEN", ""), timeout=conf["HTTP_TIMEOUT"])
    if code == Channel.CONSOLE:
        return ConsoleChannel()
    raise DeliveryError(f"unknown channel {code!r}", permanent=True)
