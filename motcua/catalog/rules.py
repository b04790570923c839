"""Pure rules of the catalog: plain values in, plain values out, no ORM."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def paper_key(name: str) -> str:
    """A paper's name as two lists compare it: Unicode NFC, spaces folded, any case."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def missing_papers(required: Iterable[tuple[str, bool]], given: Iterable[str]) -> list[str]:
    """The names of the mandatory papers of ``required`` ((name, mandatory) in the catalog's
    order) that ``given`` (the names of the papers handed in) does not contain."""
    have = {paper_key(name) for name in given}
    return [name for name, mandatory in required if mandatory and paper_key(name) not in have]
