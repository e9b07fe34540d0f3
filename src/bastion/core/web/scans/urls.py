"""URLs of the scan pages (names in the ``web`` namespace)."""

from django.urls import URLPattern, path

from bastion.core.web.scans import views

urlpatterns: list[URLPattern] = [
    path("scans/", views.scans, name="scans"),
    path("scans/targets/", views.scan_targets, name="scan-targets"),
    path("scans/targets/allow-list", views.add_allowed_range, name="scan-allow"),
    path("scans/targets/allow-list/<int:range_id>/remove", views.remove_allowed_range, name="scan-disallow"),
    path("scans/schedules", views.create_schedule, name="scan-schedule-create"),
    path("scans/schedules/<int:schedule_id>/", views.edit_schedule, name="scan-schedule"),
    path("scans/schedules/<int:schedule_id>/delete", views.delete_schedule, name="scan-schedule-delete"),
    path("scans/<uuid:scan_id>/", views.scan_detail, name="scan"),
    path("scans/<uuid:scan_id>/log", views.scan_log, name="scan-log"),
    path("scans/<uuid:scan_id>/cancel", views.cancel_scan, name="scan-cancel"),
]
