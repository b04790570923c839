"""How a service receives a person from outside: a citizen, a business, whoever complained."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """A person's name and the ways to reach them (each may be empty; the service that takes
    them says which it needs)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
