"""No secret in any log line: the citizens' look-up secrets (``?secret=`` of the GET look-ups
kept for old clients), tokens and passwords are replaced by ``[đã ẩn]`` before a line is written.

* `NoSecrets`, a logging filter on the console handler (settings.LOGGING): the message, and the
  request Django attaches to its error records (its repr carries the query string).
* `GunicornLogger`, gunicorn's ``logger_class`` (motcua/ops/gunicorn_conf.py): every atom of the
  access log (request line, query, path) is scrubbed, whatever ``access_log_format`` says.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as _GunicornLogger

#: A parameter whose value is never written: secret, token, password, key (any case).
SECRET_PARAMETER = re.compile(
    r"(?i)(?P<name>\b(?:secret|token|password|access_token|api_key))=(?P<value>[^&\s'\"<>;]*)"
)
HIDDEN = "[đã ẩn]"


def scrub(text: str) -> str:
    return SECRET_PARAMETER.sub(lambda m: f"{m.group('name')}={HIDDEN}", text)


class NoSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            text = repr(request)
            if scrub(text) != text:
                record.request = scrub(text)
        return True


class GunicornLogger(_GunicornLogger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in list(atoms.items()):
            if isinstance(value, str) and "=" in value:
                atoms[key] = scrub(value)
        return atoms
