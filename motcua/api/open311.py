"""Open311 GeoReport v2 at /open311/v2/ (plain Django views: the spec's own formats)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
