"""The fake gateway as its own process on 127.0.0.1 (a free port chosen by the OS), stopped by
the test that started it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SECRET = "bi-mat-cong-thanh-toan-thu-nghiem"


@dataclass
class FakeGateway:
    url: str
    process: subprocess.Popen[str]

    def call(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload or {}).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 - the fake gateway on 127.0.0.1
            self.url + path, data=data, method="POST" if data else "GET"
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    def mode(self, mode: str, **extra: Any) -> None:
        self.call("/_control", {"mode": mode, **extra})

    def state(self) -> Any:
        return self.call("/_state")


@contextmanager
def running_gateway() -> Iterator[FakeGateway]:
    env = {**os.environ, "MOTCUA_PAYMENT_SECRET": SECRET}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "motcua.payments.fakegateway", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("LISTENING "), line
        yield FakeGateway(url=f"http://127.0.0.1:{int(line.split()[1])}", process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def use_gateway(settings: Any, gateway: FakeGateway) -> None:
    settings.PAYMENT_GATEWAYS = {
        "paygov": {"URL": gateway.url, "MERCHANT": "MOTCUA", "SECRET": SECRET}
    }


def http(
    method: str,
    url: str,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """A real HTTP request; (status, JSON or bytes, headers)."""
    body = (
        data
        if data is not None
        else (json.dumps(payload).encode() if payload is not None else None)
    )
    request = urllib.request.Request(  # noqa: S310 - the live server on 127.0.0.1
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            raw, status, head = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, head = exc.read(), exc.code, dict(exc.headers)
    kind = head.get("Content-Type", "")
    return status, json.loads(raw) if "json" in kind else raw, head
