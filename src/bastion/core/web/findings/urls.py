"""URLs of the findings pages (names in the ``web`` namespace)."""

from django.urls import path

from bastion.core.web.findings import views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("findings/export.csv", views.export, name="findings-export"),
    path("findings/bulk", views.bulk, name="findings-bulk"),
]
