"""The keys the citizens' look-up secrets are derived with (`motcua.core.secrets`).

New secrets use ``settings.MOTCUA_LOOKUP_KEY``, a key of its own that is never rotated, so a
rotation of SECRET_KEY (through SECRET_KEY_FALLBACKS) changes no secret a citizen holds.
Secrets issued before this key existed were derived with SECRET_KEY: they are found again by
trying SECRET_KEY and its fallbacks against the stored hash (`recover`). Checking a secret never
needs any key: only its hash is compared.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings


def lookup_key() -> bytes:
    return str(settings.MOTCUA_LOOKUP_KEY).encode()


def earlier_keys() -> list[bytes]:
    """The keys of secrets issued before MOTCUA_LOOKUP_KEY: SECRET_KEY and its fallbacks."""
    return [
        str(k).encode()
        for k in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ]


def recover(derive: Callable[[bytes], str], matches: Callable[[str], bool]) -> str:
    """The secret ``derive(key)`` for the first key whose result ``matches`` the stored hash
    (the look-up key first); the look-up key's when none does."""
    first = derive(lookup_key())
    if matches(first):
        return first
    for key in earlier_keys():
        candidate = derive(key)
        if matches(candidate):
            return candidate
    return first
