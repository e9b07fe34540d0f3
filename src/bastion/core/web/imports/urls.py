"""URLs of the imports pages (names in the ``web`` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
