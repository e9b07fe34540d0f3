"""URLs of the finding pages (names in the ``web`` namespace)."""

from django.urls import URLPattern, path

from bastion.core.web.finding import views

urlpatterns: list[URLPattern] = [
    path("findings/<int:finding_id>/", views.finding_page, name="finding"),
    path("findings/<int:finding_id>/comments", views.add_comment, name="finding-comment"),
    path("findings/<int:finding_id>/status", views.change_status, name="finding-status"),
    path("findings/<int:finding_id>/assignee", views.change_assignee, name="finding-assignee"),
]
