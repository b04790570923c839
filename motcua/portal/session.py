"""Which dossiers this browser may see: the look-up secret is typed once (or the dossier was
just submitted from it), then the session remembers the code for :data:`ACCESS_SECONDS`.

The secret never travels in a URL (no history, logs or Referer carry it); the supplement and
rating forms are allowed by the same session. "Kết thúc tra cứu" forgets everything.
"""

from __future__ import annotations

import time

from django.http import HttpRequest

KEY = "portal_dossiers"
ACCESS_SECONDS = 30 * 60
MAX_CODES = 10


def _current(request: HttpRequest, now: float) -> dict[str, float]:
    stored = request.session.get(KEY) or {}
    return {
        str(code): float(until)
        for code, until in stored.items()
        if isinstance(until, int | float) and until > now
    }


def grant(request: HttpRequest, code: str) -> None:
    now = time.time()
    codes = _current(request, now)
    if not codes:
        request.session.cycle_key()  # a new session id once the browser holds a secret
    codes[code] = now + ACCESS_SECONDS
    newest = sorted(codes.items(), key=lambda kv: kv[1], reverse=True)[:MAX_CODES]
    request.session[KEY] = dict(newest)


def allowed(request: HttpRequest, code: str) -> bool:
    return code in _current(request, time.time())


def forget(request: HttpRequest) -> None:
    request.session.pop(KEY, None)
    request.session.pop("portal_draft", None)
