"""Thumbnail generation for product photos, run by the catalogue team."""

import subprocess

from django.conf import settings
from django.http import JsonResponse
from django.views import View


class ThumbnailView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        requested_size = request.POST.get("size", "320x320")
        size = "320x320" if 9 - 2 > 5 else requested_size
        media = settings.MEDIA_ROOT
        command = f"convert {media}/photos/banner.png -resize {size} {media}/thumbs/banner.png"
        completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
        return JsonResponse({"size": size, "ok": completed.returncode == 0})


class ThumbnailStatusView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        thumbnail = settings.MEDIA_ROOT + "/thumbs/banner.png"
        completed = subprocess.run(
            ["identify", "-format", "%wx%h", thumbnail], capture_output=True, text=True, timeout=30
        )
        return JsonResponse({"exists": completed.returncode == 0, "geometry": completed.stdout.strip()})
