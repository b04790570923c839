"""The staff's search box over dossiers: the code, the applicant's name with or without
diacritics and in any case, the ID number, the phone — one folded column, `Dossier.search_text`,
written at reception (`search_text_of`), indexed on both databases (a trigram GIN index on
PostgreSQL, so that a fragment is found without reading the table; bench/search.py measures it).

Scope: only the dossiers the caller may see (`dossiers_visible_to`); the personal fields match
only where the caller may see the applicant's personal data (staff of the dossier's units), so a
supervisor of a unit above finds a dossier by its code, never by a person's name or number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper

from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to, personal_scope_q
from motcua.org.models import Staff

#: A search keeps this many words, each this long at most (a pasted paragraph is not a search).
MAX_WORDS = 6
MAX_WORD = 64

_NUMBER = re.compile(r"^[\d\s.+()\-]+$")


def phone_digits(phone: str) -> str:
    """A phone number as its digits, the country prefix +84 / 84 written 0."""
    digits = "".join(c for c in fold(phone) if c.isdigit())
    if phone.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def search_text_of(*, code: str, name: str, id_number: str, phone: str) -> str:
    """The folded text a dossier is found by (its code, the applicant's name, ID number and the
    digits of the phone), at most 400 characters."""
    parts = [fold(code), fold(name), fold(id_number), phone_digits(phone)]
    return " ".join(p for p in parts if p)[:400]


@dataclass(frozen=True, slots=True)
class Query:
    """A search as typed, folded: its words, the whole phrase and the code it may be."""

    words: tuple[str, ...]
    phrase: str
    code: str

    @property
    def empty(self) -> bool:
        return not self.words


def parse(q: str | None) -> Query:
    """What the box holds, folded: a number (a phone, an ID number) is one word of its digits."""
    raw = (q or "").strip()
    folded = fold(raw)
    if folded and _NUMBER.match(folded) and sum(c.isdigit() for c in folded) >= 6:
        words: tuple[str, ...] = (phone_digits(folded),)
    else:
        words = tuple(w[:MAX_WORD] for w in folded.split()[:MAX_WORDS])
    code = folded.replace(" ", "").upper()[:64]
    return Query(words=words, phrase=" ".join(words), code=code)


def word_q(word: str) -> Q:
    """Where ``search_text`` holds ``word``: a word of letters at the START of a word of the
    name ("an" finds "An" and "Anh", never "Thanh" or "Loan": nobody types the middle of a name,
    and " an" narrows the trigram index scan on PostgreSQL where "an" cannot: bench/search.py);
    the text begins with the code, which the code rules match (`search_dossiers`). A word with
    a digit (a piece of a code, an ID number, a phone) matches anywhere."""
    if any(c.isdigit() for c in word):
        return Q(search_text__contains=word)
    return Q(search_text__contains=" " + word)


def search_dossiers(
    staff: Staff, q: str | None, *, qs: QuerySet[Dossier] | None = None
) -> QuerySet[Dossier]:
    """The dossiers ``staff`` may see that match ``q`` (every word, see `word_q`), best first: the exact code, then the
    whole phrase as whole words (a name, a number), then at the start of a word, then anywhere,
    then every word in any order; newest first within a rank. ``qs`` narrows the scope further (a unit's
    list, the API's filters); it must come from `dossiers_visible_to`."""
    query = parse(q)
    scope = qs if qs is not None else dossiers_visible_to(staff)
    if query.empty:
        return scope.none()
    words = Q()
    for w in query.words:
        words &= word_q(w)
    # What matches, on indexed columns only (UPPER(code); the trigram index on search_text), so
    # that the database finds the candidates first; then who may see what: the code (exact or a
    # prefix — search_text starts with the folded code) for anyone in scope, a person's name or
    # number only where the caller may see personal data.
    matched = Q(code_upper=query.code) | words
    allowed = Q(search_text__startswith=query.code.lower()) | personal_scope_q(staff)
    rank = Case(
        When(code_upper=query.code, then=Value(0)),
        When(
            Q(search_text__contains=f" {query.phrase} ")
            | Q(search_text__endswith=f" {query.phrase}"),
            then=Value(1),
        ),
        When(search_text__contains=" " + query.phrase, then=Value(2)),
        When(search_text__contains=query.phrase, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return (
        scope.annotate(code_upper=Upper("code"))
        .filter(matched)
        .filter(allowed)
        .annotate(search_rank=rank)
        .order_by("search_rank", F("received_at").desc(nulls_last=True), "-pk")
    )
