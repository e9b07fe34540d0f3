"""URLs of the assets and engagements pages (names in the ``web`` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
