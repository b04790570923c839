"""`{% counter_panel %}`: the officer's counter strip on every staff page (only for the one-stop
officers of a unit that has counters)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import formats, timezone

from motcua.org.models import Staff
from motcua.queueing import selectors
from motcua.queueing.models import ServiceGroup, Ticket
from motcua.queueing.services.tickets import waiting_line

register = template.Library()


def panel_context(request: HttpRequest, *, message: str = "") -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, Staff) or not user.is_authenticated:
        return {"show": False}
    counters = selectors.counters_for(user)
    if not counters:
        return {"show": False}
    mine = next((c for c in counters if c.officer_id == user.pk), None)
    chosen = request.GET.get("counter") or request.POST.get("counter") or ""
    counter = next((c for c in counters if str(c.pk) == chosen), None) or mine or counters[0]
    current = selectors.current_ticket(counter)
    group_ids = list(counter.groups.values_list("pk", flat=True))
    waiting = Ticket.objects.filter(
        waiting_line(group_ids, counter.pk), day=timezone.localdate()
    ).count()
    return {
        "show": True,
        "request": request,
        "counters": counters,
        "counter": counter,
        "current": current,
        "waiting": waiting,
        "message": message,
        "groups": list(ServiceGroup.objects.filter(unit_id=counter.unit_id, active=True)),
        "others": [c for c in counters if c.unit_id == counter.unit_id and c.pk != counter.pk],
        "next": request.get_full_path() if request.method == "GET" else "",
    }


@register.inclusion_tag("queueing/_panel.html", takes_context=True)
def counter_panel(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"show": False}
    ctx = panel_context(request)
    ctx["csrf_token"] = context.get("csrf_token")
    return ctx


@register.filter
def minutes(seconds: float | int | None) -> str:
    """Seconds as minutes with one decimal ("—" when there is no figure)."""
    if seconds is None:
        return "—"
    return formats.number_format(seconds / 60, 1)
