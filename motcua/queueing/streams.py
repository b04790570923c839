"""The live state of a unit's floor and its fan-out to every screen (Server-Sent Events).

`state_of(unit_id)` is what a display shows: the numbers being called and where, the last calls,
the waiting count per group, and `version` (the floor's last event id). After every change the
services call `publish_state` (on commit), which sends that state to the unit's Redis channel;
every ASGI process subscribed to it passes it to its open streams, so a call made on any web
process reaches displays connected to any other. Without Redis (the embedded default) each
stream polls the floor's last event id instead: slower, but still across processes.

A stream first sends the current state (a display that reconnects catches up at once), then one
message per change, and a comment every 15 s to keep proxies from closing it. The state carries
numbers and counters only: no personal data, so it may be cached by nobody and read by anyone.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Count, Max
from django.utils import timezone

from motcua.queueing.models import Counter, FloorEvent, ServiceGroup, Ticket, TicketStatus

log = logging.getLogger(__name__)

LAST_CALLS = 6
KEEPALIVE_SECONDS = 15.0
POLL_SECONDS = 0.5


def channel_for(unit_id: int) -> str:
    return f"{settings.QUEUE_CHANNEL_PREFIX}:{unit_id}"


def state_of(unit_id: int) -> dict[str, Any]:
    """The floor of one unit now (a bounded number of queries)."""
    today = timezone.localdate()
    groups = list(
        ServiceGroup.objects.filter(unit_id=unit_id, active=True).values_list("pk", "code", "name")
    )
    counts = dict(
        Ticket.objects.filter(unit_id=unit_id, day=today, status=TicketStatus.WAITING)
        .values_list("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    names = {c.pk: str(c) for c in Counter.objects.filter(unit_id=unit_id)}
    calling = [
        {"number": number, "counter": names.get(counter_id, ""), "counter_id": counter_id}
        for number, counter_id in Ticket.objects.filter(
            unit_id=unit_id, day=today, status=TicketStatus.CALLED
        )
        .order_by("-last_called_at", "-pk")
        .values_list("number", "counter_id")
    ]
    last = [
        {"number": number, "counter": names.get(counter_id, ""), "counter_id": counter_id}
        for number, counter_id in Ticket.objects.filter(
            unit_id=unit_id, day=today, called_at__isnull=False
        )
        .order_by("-last_called_at", "-pk")
        .values_list("number", "counter_id")[:LAST_CALLS]
    ]
    version = FloorEvent.objects.filter(unit_id=unit_id).aggregate(v=Max("pk"))["v"] or 0
    return {
        "calling": calling,
        "last_calls": last,
        "waiting": {code: counts.get(pk, 0) for pk, code, _name in groups},
        "groups": [{"code": code, "name": name} for _pk, code, name in groups],
        "version": version,
    }


def _version(unit_id: int) -> int:
    return FloorEvent.objects.filter(unit_id=unit_id).aggregate(v=Max("pk"))["v"] or 0


def publish_state(unit_id: int) -> None:
    """Send the unit's state to every process's streams (no-op without Redis: they poll)."""
    url = settings.QUEUE_REDIS_URL
    if not url:
        return
    import redis

    try:
        client = _redis_client(url)
        client.publish(channel_for(unit_id), json.dumps(state_of(unit_id), ensure_ascii=False))
    except redis.RedisError:  # the change is committed; screens catch up on their next message
        log.warning("floor state of unit %s not published", unit_id, exc_info=True)


_clients: dict[str, Any] = {}


def _redis_client(url: str) -> Any:
    import redis

    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=2)
    return client


def _fresh_state(unit_id: int) -> dict[str, Any]:
    close_old_connections()
    try:
        return state_of(unit_id)
    finally:
        close_old_connections()


def _fresh_version(unit_id: int) -> int:
    close_old_connections()
    try:
        return _version(unit_id)
    finally:
        close_old_connections()


def sse(data: str) -> bytes:
    return f"event: state\ndata: {data}\n\n".encode()


async def events(unit_id: int) -> AsyncIterator[bytes]:
    """The stream of one unit's states: the current one, then one per change."""
    yield b"retry: 1000\n\n"
    url = settings.QUEUE_REDIS_URL
    if url:
        async for chunk in _redis_events(unit_id, url):
            yield chunk
    else:
        async for chunk in _polled_events(unit_id):
            yield chunk


async def _redis_events(unit_id: int, url: str) -> AsyncIterator[bytes]:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel_for(unit_id))
        # Subscribed before reading the state: no change can fall between the two.
        state = await sync_to_async(_fresh_state, thread_sensitive=False)(unit_id)
        yield sse(json.dumps(state, ensure_ascii=False))
        while True:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=KEEPALIVE_SECONDS
            )
            if message is None:
                yield b": keep-alive\n\n"
                continue
            data = message["data"]
            yield sse(data.decode() if isinstance(data, bytes) else str(data))
    finally:
        await pubsub.aclose()
        await client.aclose()


async def _polled_events(unit_id: int) -> AsyncIterator[bytes]:
    state = await sync_to_async(_fresh_state, thread_sensitive=False)(unit_id)
    version = state["version"]
    yield sse(json.dumps(state, ensure_ascii=False))
    idle = 0.0
    while True:
        await asyncio.sleep(POLL_SECONDS)
        idle += POLL_SECONDS
        now = await sync_to_async(_fresh_version, thread_sensitive=False)(unit_id)
        if now != version:
            state = await sync_to_async(_fresh_state, thread_sensitive=False)(unit_id)
            version = state["version"]
            idle = 0.0
            yield sse(json.dumps(state, ensure_ascii=False))
        elif idle >= KEEPALIVE_SECONDS:
            idle = 0.0
            yield b": keep-alive\n\n"
