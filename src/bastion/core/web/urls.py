"""The web application's pages, under ``/``."""

from django.urls import path

from bastion.core.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organization", views.choose_organization, name="choose-organization"),
]
