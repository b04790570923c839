"""Pure rules of the catalog: plain values in, plain values out, no ORM."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence


def paper_key(name: str) -> str:
    """A paper's name as two lists compare it: Unicode NFC, spaces folded, any case."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def missing_papers(required: Iterable[tuple[str, bool]], given: Iterable[str]) -> list[str]:
    """The names of the mandatory papers of ``required`` ((name, mandatory) in the catalog's
    order) that ``given`` (the names of the papers handed in) does not contain."""
    have = {paper_key(name) for name in given}
    return [name for name, mandatory in required if mandatory and paper_key(name) not in have]


def matched_words(query_words: Sequence[str], text_words: Sequence[str]) -> int:
    """How many of the (folded) ``query_words`` start a word of ``text_words`` or appear in one
    longer than two characters (a code such as 1.001193): the rank of a procedure for a search.
    Every word need not match — "khai sinh cho tre" still finds "Đăng ký khai sinh"."""
    n = 0
    for w in dict.fromkeys(query_words):
        if any(t.startswith(w) or (len(w) > 2 and w in t) for t in text_words):
            n += 1
    return n
