"""URLs of the findings pages (names in the ``web`` namespace)."""

from django.urls import path

from bastion.core.web.findings import saved_views, views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("findings/export.csv", views.export, name="findings-export"),
    path("findings/bulk", views.bulk, name="findings-bulk"),
    path("findings/views/save", saved_views.save, name="findings-view-save"),
    path("findings/views/<int:view_id>/", saved_views.apply, name="findings-view"),
    path("findings/views/<int:view_id>/delete", saved_views.delete, name="findings-view-delete"),
]
