"""Thumbnail generation for uploaded product photos."""

import os

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST


@require_POST
def make_thumbnail(request):
    photo_name = request.POST.get("photo", "")
    size = "320x320"
    source = os.path.join(settings.MEDIA_ROOT, "photos")
    command = "cd %s && convert %s -resize %s thumbs/%s" % (source, photo_name, size, photo_name)
    status = os.system(command)
    return JsonResponse({"photo": photo_name, "ok": status == 0})


@require_GET
def list_thumbnails(request):
    thumbs_directory = os.path.join(settings.MEDIA_ROOT, "photos", "thumbs")
    names = sorted(name for name in os.listdir(thumbs_directory) if not name.startswith("."))
    return JsonResponse({"thumbnails": names[:200]})
