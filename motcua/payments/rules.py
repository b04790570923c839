"""Pure arithmetic of money: amounts due, amounts in Vietnamese words, gateway signatures.

Nothing of the project, nothing of Django: plain values in, plain values out.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from num2words import num2words

#: The largest amount a receipt may carry (below a million billion đồng).
MAX_AMOUNT = 10**15 - 1

_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group_words(group: int, *, leading: bool) -> str:
    """A group of three digits (1..999). After a higher group the hundreds are always read
    ("một triệu không trăm linh năm nghìn"), as receipts and invoices write them; num2words
    drops them ("một triệu năm nghìn") and writes "lẻ" where documents write "linh"."""
    if leading:
        words = str(num2words(group, lang="vi"))
    elif group < 10:
        words = f"không trăm linh {_DIGITS[group]}"
    elif group < 100:
        words = f"không trăm {num2words(group, lang='vi')}"
    else:
        words = str(num2words(group, lang="vi"))
    return words.replace(" lẻ ", " linh ")


def amount_in_words(amount: int) -> str:
    """A sum of đồng in Vietnamese words, capitalised, ending in "đồng" (VND has no minor unit):
    0 → "Không đồng", 15 000 → "Mười lăm nghìn đồng", 2 000 000 000 → "Hai tỷ đồng"."""
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValueError("amount out of range")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = amount
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    parts: list[str] = []
    leading = True
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        parts.append(_group_words(group, leading=leading))
        if _SCALES[index]:
            parts.append(_SCALES[index])
        leading = False
    text = " ".join(parts)
    return f"{text[0].upper()}{text[1:]} đồng"


def amount_due(gross: int, percent_off: int) -> tuple[int, int]:
    """(discount, amount due) of ``gross`` đồng reduced by ``percent_off`` %; the discount is
    rounded down to the đồng, so the citizen never pays a fraction."""
    if not 0 <= percent_off <= 100:
        raise ValueError("percent out of range")
    discount = gross * percent_off // 100
    return discount, gross - discount


#: Dossier states after which fees are refunded (refused at intake, stopped, or found not
#: eligible), as plain values: ``(status, outcome)``.
CLOSED_STATUSES = frozenset({"refused", "stopped"})


def dossier_closed(status: str, outcome: str) -> bool:
    """A dossier that will not be served: nothing more is collected, what was paid is
    refundable."""
    return status in CLOSED_STATUSES or outcome == "not_eligible"


def refundable(payment_status: str, dossier_status: str, outcome: str) -> bool:
    """Money that may be given back: a payment made twice, or any payment of a closed dossier."""
    return payment_status == "refund_due" or (
        payment_status == "paid" and dossier_closed(dossier_status, outcome)
    )


def total(amounts: Iterable[int]) -> int:
    return sum(amounts)


def sign(secret: bytes, body: bytes) -> str:
    """The gateway signature of a raw body: hex HMAC-SHA256."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_ok(secret: bytes, body: bytes, signature: str) -> bool:
    """Constant-time check of a signature against the raw body."""
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


def format_vnd(amount: int) -> str:
    """15000 → "15.000" (the Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def consecutive(numbers: Sequence[int]) -> bool:
    """True when sorted ``numbers`` run 1, 2, … without gap or repeat."""
    return sorted(numbers) == list(range(1, len(numbers) + 1))
