"""Look-up secrets handed to citizens (a dossier's, a complaint's): derived from a random nonce
with the site's key, so only the nonce and a hash are stored and the secret can be shown again
to a client that repeats its request. Pure: no Django, no database."""

from __future__ import annotations

import hashlib
import hmac

#: Letters and digits a person cannot confuse when reading aloud: no 0/O, 1/I.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a secret


def derive_secret(key: bytes, nonce: str, *, purpose: str, length: int) -> str:
    """HMAC-SHA256(key, "<purpose>:<nonce>") written in SECRET_ALPHABET, ``length`` characters."""
    digest = hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(SECRET_ALPHABET))
        chars.append(SECRET_ALPHABET[index])
    return "".join(chars)


def normalize_secret(text: str) -> str:
    """What the citizen typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def hash_secret(salt: str, secret: str) -> str:
    """The stored form of a secret: SHA-256 of "<salt>:<normalised secret>"."""
    return hashlib.sha256(f"{salt}:{normalize_secret(secret)}".encode()).hexdigest()
