"""The cleaning every service applies to text a person typed (one rule for every app)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

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
