"""The cleaning every service applies to text a person typed (one rule for every app)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.core.bounds import has_surrogate
from motcua.core.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class ContentTooLong(InvalidInput):
    code = "content_too_long"


def strip_controls(text: str) -> str:
    """Trim, normalise line ends and drop control characters (kept: tab and new line)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def thousands(n: int) -> str:
    """5000 → 5.000 (Vietnamese digit grouping)."""
    return f"{n:,}".replace(",", ".")


def clean_text(
    value: str | None,
    *,
    field: str,
    label: str,
    required: bool = True,
    max_length: int | None = None,
) -> str:
    """``value`` cleaned (:func:`strip_controls`); InvalidInput naming ``field`` when it is
    required and empty, ContentTooLong when it is longer than ``max_length``. ``label`` is how
    the message names the field ("lý do từ chối")."""
    if value and has_surrogate(value):
        raise InvalidInput(
            _("%(label)s chứa ký tự không hợp lệ (nửa cặp UTF-16); hãy gõ lại.")
            % {"label": label[:1].upper() + label[1:]},
            field=field,
        )
    cleaned = strip_controls(value or "")
    if required and not cleaned:
        raise InvalidInput(_("Hãy nhập %(label)s.") % {"label": label}, field=field)
    if max_length is not None and len(cleaned) > max_length:
        raise ContentTooLong(
            _("%(label)s dài %(n)s ký tự, quá giới hạn %(max)s ký tự; hãy rút gọn.")
            % {
                "label": label[:1].upper() + label[1:],
                "n": thousands(len(cleaned)),
                "max": thousands(max_length),
            },
            field=field,
        )
    return cleaned


def clean_line(value: str | None, *, field: str, label: str, max_length: int) -> str:
    """A one-line field: new lines become spaces."""
    return " ".join(
        clean_text(value, field=field, label=label, required=False, max_length=max_length).split()
    )


def clean_email(value: str | None, *, field: str) -> str:
    """An e-mail address a person typed, on one line; "" when none; InvalidInput naming
    ``field`` when it is not an address."""
    email = clean_line(value, field=field, label=_("thư điện tử"), max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": email}, field=field
            ) from None
    return email


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """One folding rule for every search (dossiers, procedures, the portal): any digit as 0–9,
    "đ" as "d", no diacritics, lower case, spaces collapsed — so that "dang ky khai sinh",
    "ĐĂNG KÝ" and "đăng ký" meet. Unpaired surrogates and control characters are dropped."""
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", strip_controls(text))
    out = []
    for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")):
        if unicodedata.combining(c):
            continue
        digit = unicodedata.decimal(c, None)
        out.append(str(digit) if digit is not None else c)
    return _SPACES.sub(" ", "".join(out).casefold()).strip()


#: The GSM 03.38 basic alphabet (without its escape table): what one SMS encodes 7 bits a
#: character; one character outside it makes the whole message UCS-2 (70 characters a part).
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: An SMS is at most three concatenated parts of 153 GSM-7 characters.
SMS_MAX = 3 * 153
_SMS_SUBSTITUTES = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "\t": " ",
}


def sms_text(text: str) -> str:
    """The one rule for an SMS: the whole message without diacritics ("đ" as "d", case kept),
    typographic quotes and dashes made plain, any other character outside GSM-7 dropped, spaces
    collapsed, and cut to `SMS_MAX` characters (on a word, with "...")."""
    text = unicodedata.normalize("NFKC", strip_controls(text.encode("utf-8", "ignore").decode()))
    text = text.replace("đ", "d").replace("Đ", "D")
    out = []
    for c in unicodedata.normalize("NFD", text):
        if unicodedata.combining(c):
            continue
        c = _SMS_SUBSTITUTES.get(c, c)
        out.append(c if all(ch in GSM7 for ch in c) else "")
    plain = re.sub(r"[ ]+", " ", re.sub(r"\s*\n\s*", "\n", "".join(out))).strip()
    if len(plain) > SMS_MAX:
        plain = plain[: SMS_MAX - 3].rsplit(" ", 1)[0].rstrip() + "..."
    return plain
