"""The web application's pages, under ``/``: each group of pages keeps its own ``urls.py``."""

from django.urls import path

from bastion.core.web import pickers, views
from bastion.core.web.finding import urls as finding
from bastion.core.web.findings import urls as findings
from bastion.core.web.imports import urls as imports
from bastion.core.web.inventory import urls as inventory
from bastion.core.web.scans import urls as scans
from bastion.core.web.settings import urls as settings

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organization", views.choose_organization, name="choose-organization"),
    path("pick/<slug:kind>", pickers.pick, name="pick"),
    *findings.urlpatterns,
    *finding.urlpatterns,
    *inventory.urlpatterns,
    *imports.urlpatterns,
    *scans.urlpatterns,
    *settings.urlpatterns,
]
