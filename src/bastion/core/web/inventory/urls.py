"""URLs of the assets and engagements pages (names in the ``web`` namespace)."""

from django.urls import URLPattern, path

from bastion.core.web.inventory import views

urlpatterns: list[URLPattern] = [
    path("assets/", views.asset_list, name="assets"),
    path("assets/new", views.asset_create, name="asset-create"),
    path("assets/<int:asset_id>/", views.asset_detail, name="asset"),
    path("assets/<int:asset_id>/edit", views.asset_edit, name="asset-edit"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/new", views.engagement_create, name="engagement-create"),
    path("engagements/<int:engagement_id>/edit", views.engagement_edit, name="engagement-edit"),
]
