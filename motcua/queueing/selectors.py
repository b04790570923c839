"""Reads of the counter floor: a unit's layout, a ticket's place in line, the counters an officer
works, the ticket a tablet asks about (figures are in `figures`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from motcua.org.models import Role, Staff, Unit
from motcua.org.selectors import units_of
from motcua.queueing.models import (
    Counter,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    TicketStatus,
)
from motcua.queueing.services.common import plain_code
from motcua.queueing.services.tickets import count_waiting_before

#: How long after its service the tablet keeps asking to rate a ticket.
TABLET_WINDOW = timedelta(minutes=10)


def get_floor_unit(code: str) -> Unit | None:
    """A unit that has a floor (at least one active group)."""
    code = plain_code(code, 40)
    unit = Unit.objects.filter(code=code, active=True).first() if code else None
    if unit is None or not ServiceGroup.objects.filter(unit=unit, active=True).exists():
        return None
    return unit


def list_groups(unit: Unit) -> QuerySet[ServiceGroup]:
    return ServiceGroup.objects.filter(unit=unit, active=True).order_by("order", "code")


def list_priorities(unit: Unit) -> QuerySet[PriorityCategory]:
    return PriorityCategory.objects.filter(unit=unit, active=True).order_by("order", "code")


def list_counters(unit: Unit) -> list[Counter]:
    return list(
        Counter.objects.filter(unit=unit, active=True)
        .select_related("officer")
        .prefetch_related("groups")
        .order_by("number")
    )


def unit_layout(unit: Unit) -> dict[str, Any]:
    """API.md: the groups and the counters with the groups they serve and their officer."""
    return {
        "groups": [{"code": g.code, "name": g.name} for g in list_groups(unit)],
        "counters": [
            {
                "id": c.pk,
                "name": str(c),
                "groups": [g.code for g in c.groups.all()],
                "officer": c.officer.get_full_name() if c.officer else None,
            }
            for c in list_counters(unit)
        ],
    }


def get_ticket(ticket_id: int) -> Ticket | None:
    return Ticket.objects.select_related("group", "counter", "unit").filter(pk=ticket_id).first()


def get_ticket_by_token(token: str) -> Ticket | None:
    if not token or len(token) > 40 or plain_code(token, 40) != token:
        return None
    return Ticket.objects.select_related("group", "counter", "unit").filter(token=token).first()


def ticket_view(ticket: Ticket) -> dict[str, Any]:
    """What the citizen's phone shows: the number, its state, people before it, the counter."""
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_name": str(ticket.get_status_display()),
        "group": ticket.group.name,
        "waiting_before": count_waiting_before(ticket),
        "counter": str(ticket.counter) if ticket.counter and ticket.status == "called" else None,
    }


def counters_for(actor: Staff) -> list[Counter]:
    """The counters of the units where ``actor`` is a one-stop officer (their own first)."""
    units = units_of(actor, [Role.RECEPTIONIST])
    counters = (
        Counter.objects.filter(unit__in=units, active=True)
        .select_related("unit", "officer")
        .order_by("unit__code", "number")
    )
    return sorted(counters, key=lambda c: (c.officer_id != actor.pk,))


def is_counter_officer(actor: Staff) -> bool:
    return Counter.objects.filter(
        unit__in=units_of(actor, [Role.RECEPTIONIST]), active=True
    ).exists()


def current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED)
        .select_related("group")
        .order_by("-last_called_at")
        .first()
    )


def ticket_to_rate(counter: Counter, now: datetime | None = None) -> Ticket | None:
    """The ticket the counter's tablet asks the citizen to rate: the last one served there in
    the last minutes, not yet rated."""
    now = now or timezone.now()
    return (
        Ticket.objects.filter(
            counter=counter,
            status=TicketStatus.SERVED,
            officer__isnull=False,
            finished_at__gte=now - TABLET_WINDOW,
            rating__isnull=True,
        )
        .select_related("officer")
        .order_by("-finished_at", "-pk")
        .first()
    )


def get_counter(unit: Unit, counter_id: int) -> Counter | None:
    return Counter.objects.filter(unit=unit, pk=counter_id, active=True).first()
