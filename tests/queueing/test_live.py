"""Two real web processes (uvicorn, ASGI): a call made through one reaches a display connected to
the other, through Redis pub/sub and, without Redis, through each stream's polling of the floor's
last event; a display that (re)connects first gets the current state."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from motcua.access.services import issue_token
from tests.queueing.conftest import at
from tests.queueing.servers import StateStream, asgi_servers, new_prefix, redis_available

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def call(method: str, url: str, body: object | None = None, token: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - 127.0.0.1
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as answer:
        return answer.code, json.loads(answer.read() or b"null")


def token_of(staff) -> str:
    """A bearer token (the servers check it; their clock is pinned to 10/03/2026)."""
    return issue_token(staff=staff, now=at(10, 8))[0]


def _a_call_through_one_reaches_a_display_on_the_other(floor, tmp_path, *, redis: bool):
    unit = floor.unit.code
    with asgi_servers(2, now=at(10, 9), prefix=new_prefix(), tmp_path=tmp_path, redis=redis) as (
        one,
        other,
    ):
        display = StateStream(other, unit)
        try:
            first = display.next_state()
            assert first["calling"] == [] and first["waiting"]["ho-tich"] == 0

            status, ticket = call(
                "POST", f"{one}/api/v1/queue/tickets", {"unit": unit, "group": "ho-tich"}
            )
            assert status == 201, ticket
            display.until(lambda s: s["waiting"]["ho-tich"] == 1)

            desk = token_of(floor.officer)
            status, called = call(
                "POST", f"{one}/api/v1/queue/counters/{floor.counter1.pk}/call-next", token=desk
            )
            assert status == 200, called
            state = display.until(lambda s: bool(s["calling"]))
            assert state["calling"][0]["number"] == ticket["number"] == "A001"
            assert state["calling"][0]["counter"] == "Quầy 1"
            assert state["waiting"]["ho-tich"] == 0
        finally:
            display.close()

        again = StateStream(one, unit)  # a display that reconnects gets the floor as it is
        try:
            assert again.next_state()["calling"][0]["number"] == "A001"
        finally:
            again.close()


@pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_a_call_made_through_one_web_process_reaches_a_display_on_another_through_redis(
    floor, tmp_path
):
    _a_call_through_one_reaches_a_display_on_the_other(floor, tmp_path, redis=True)


def test_without_redis_the_streams_poll_the_floor_and_still_cross_processes(floor, tmp_path):
    _a_call_through_one_reaches_a_display_on_the_other(floor, tmp_path, redis=False)
