"""Dossiers for the report tests: rows bulk-created with the services' rules (for volumes such as
seed 001's 55,582), and a straightforward Python count to compare the report with."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import classify_timeliness
from motcua.reports.selectors import FIGURES

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_seq = itertools.count(1)


def at(y: int, m: int, d: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=VN)


def midnight(on: date) -> datetime:
    return datetime(on.year, on.month, on.day, tzinfo=VN)


def dossier_row(
    *,
    unit,
    procedure,
    received_at: datetime | None,
    effective_received_at: datetime | None = None,
    due_at: datetime | None = None,
    channel: str = "counter",
    ready_at: datetime | None = None,
    outcome: str = "approved",
    stopped_at: datetime | None = None,
    refused_at: datetime | None = None,
    paused_at: datetime | None = None,
    green_lane: bool = False,
    green_lane_due_at: datetime | None = None,
    returned: bool = False,
) -> Dossier:
    """One Dossier (unsaved) in the state the services would leave it: a status matching the
    times, the D7 class judged at ready time against the statutory due."""
    n = next(_seq)
    effective = effective_received_at or received_at
    due = due_at or (effective + timedelta(days=3) if effective else None)
    status = "received" if received_at else "submitted"
    timeliness = ""
    if refused_at is not None:
        status = "refused"
    elif stopped_at is not None:
        status = "stopped"
    elif ready_at is not None:
        status = "returned" if returned else "ready"
        assert due is not None
        timeliness = classify_timeliness(finished_at=ready_at, due_at=due, tz=VN).value
    elif paused_at is not None:
        status = "awaiting_supplement"
    elif received_at is not None:
        status = "in_progress"
    return Dossier(
        code=f"R-{n:08d}",
        procedure=procedure,
        unit=unit,
        channel=channel,
        status=status,
        outcome=outcome if ready_at is not None else "",
        green_lane=green_lane,
        green_lane_group="investment" if green_lane else "",
        submitted_at=received_at if channel == "online" else None,
        received_at=received_at,
        effective_received_at=effective,
        due_at=due,
        original_due_at=due,
        green_lane_due_at=green_lane_due_at,
        paused_at=paused_at,
        ready_at=ready_at,
        returned_at=ready_at + timedelta(hours=1) if returned and ready_at else None,
        refused_at=refused_at,
        stopped_at=stopped_at,
        timeliness=timeliness,
        lookup_nonce=f"{n:032x}",
        lookup_secret_hash="0" * 64,
    )


@dataclass(frozen=True)
class Plain:
    """What the Python count needs of a dossier."""

    unit_id: int
    procedure_code: str
    field_id: int
    channel: str
    effective_received_at: datetime | None
    original_due_at: datetime | None
    ready_at: datetime | None
    stopped_at: datetime | None
    paused_at: datetime | None
    timeliness: str
    outcome: str
    green_lane: bool
    green_lane_due_at: datetime | None


def plain(d: Dossier) -> Plain:
    return Plain(
        unit_id=d.unit_id,
        procedure_code=d.procedure.code,
        field_id=d.procedure.field_id,
        channel=d.channel,
        effective_received_at=d.effective_received_at,
        original_due_at=d.original_due_at,
        ready_at=d.ready_at,
        stopped_at=d.stopped_at,
        paused_at=d.paused_at,
        timeliness=d.timeliness,
        outcome=d.outcome,
        green_lane=d.green_lane,
        green_lane_due_at=d.green_lane_due_at,
    )


def python_count(dossiers, start: date, end: date, now: datetime) -> dict[str, int]:
    """The figures of API.md written the plain way, one dossier at a time."""
    s, e = midnight(start), midnight(end)
    as_of = min(e, now)
    # the names of the figures (not how they are counted) are the report's own
    out = dict.fromkeys([f for f in FIGURES if f != "apologies"], 0)
    for d in dossiers:
        if d.effective_received_at is None:
            continue  # never received
        closed = d.ready_at or d.stopped_at
        received = d.effective_received_at
        if closed is not None and closed < received:
            received = closed
        if received >= e or (closed is not None and closed < s):
            continue
        if received < s:
            out["carried_over"] += 1
        else:
            out["received"] += 1
            out[f"received_{d.channel}"] += 1
            out["green_lane_received"] += d.green_lane
        if d.ready_at is not None and s <= d.ready_at < e:
            out["resolved"] += 1
            kind = d.timeliness if d.timeliness in ("early", "on_time") else "late"
            out[f"resolved_{kind}"] += 1
            out["resolved_not_eligible"] += d.outcome == "not_eligible"
            if d.green_lane:
                out["green_lane_resolved"] += 1
                out["green_lane_met_statutory"] += kind != "late"
                out["green_lane_met_target"] += bool(
                    d.green_lane_due_at and d.ready_at <= d.green_lane_due_at
                )
        elif d.ready_at is None and d.stopped_at is not None and s <= d.stopped_at < e:
            out["stopped"] += 1
        elif closed is None or closed >= e:
            out["in_progress"] += 1
            due = max(d.original_due_at or received, received)
            paused_in_time = d.paused_at is not None and not (
                d.original_due_at and d.original_due_at < d.paused_at
            )
            if due < as_of and not paused_in_time:
                out["in_progress_overdue"] += 1
    return out


def insert_rows(dossiers: list[Dossier]) -> None:
    """Insert many unsaved dossiers in one prepared statement (executemany): `bulk_create` on
    SQLite sends ~30 rows a statement, far too slow for seed volumes."""
    from django.db import connection, models

    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(Dossier._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sqlite = connection.vendor == "sqlite"

    def when(value):
        if value is None or not sqlite:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    converters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            converters.append((f.attname, when))
        elif isinstance(f, models.BooleanField | models.CharField | models.TextField):
            converters.append((f.attname, None))
        else:
            converters.append((f.attname, lambda v, f=f: f.get_db_prep_save(v, connection)))
    now = datetime.now(tz=VN)
    params = []
    for d in dossiers:
        d.created_at = now
        values = d.__dict__
        params.append([conv(values[name]) if conv else values[name] for name, conv in converters])
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608
