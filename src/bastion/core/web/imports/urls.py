"""URLs of the imports pages (names in the ``web`` namespace)."""

from django.urls import URLPattern, path

from bastion.core.web.imports import views

urlpatterns: list[URLPattern] = [
    path("imports/", views.imports, name="imports"),
    path("imports/<uuid:import_id>/", views.import_detail, name="import"),
    path("imports/<uuid:import_id>/progress", views.import_progress, name="import-progress"),
]
