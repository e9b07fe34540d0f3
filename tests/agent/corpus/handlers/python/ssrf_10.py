"""Favicon lookup for the asset inventory."""

import base64
import urllib.request

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET

FETCH_TIMEOUT_SECONDS = 6
MAX_ICON_BYTES = 64 * 1024


@require_GET
def asset_favicon(request):
    domain = request.GET.get("domain", "").strip()
    if not domain:
        return HttpResponseBadRequest("domain is required")
    icon_url = "https://%s/favicon.ico" % domain
    with urllib.request.urlopen(icon_url, timeout=FETCH_TIMEOUT_SECONDS) as response:
        icon = response.read(MAX_ICON_BYTES)
    return JsonResponse(
        {
            "domain": domain,
            "content_type": response.headers.get("Content-Type", "image/x-icon"),
            "icon": base64.b64encode(icon).decode("ascii"),
        }
    )
