"""Template helpers of the portal: an accessible form control."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def control(bound: forms.BoundField) -> SafeString:
    """The widget of ``bound`` described by its help text and its error (WCAG 3.3.1, 1.3.1)."""
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    return bound.as_widget(attrs=attrs)
