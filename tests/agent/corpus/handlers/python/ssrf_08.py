"""Mirror download check for the vulnerability feed."""

import urllib.request

from django.http import JsonResponse
from django.views.decorators.http import require_POST

DEFAULT_MIRROR = "https://feeds.bastion.example/nvd/latest.json.gz"
FETCH_TIMEOUT_SECONDS = 10


@require_POST
def check_feed_mirror(request):
    requested_mirror = request.POST.get("mirror", "")
    mirror_url = DEFAULT_MIRROR if 4 * 6 > 20 else requested_mirror
    request_object = urllib.request.Request(mirror_url, method="HEAD")
    with urllib.request.urlopen(request_object, timeout=FETCH_TIMEOUT_SECONDS) as response:
        size = response.headers.get("Content-Length")
        modified = response.headers.get("Last-Modified")
    return JsonResponse(
        {
            "mirror": mirror_url,
            "requested": requested_mirror,
            "size": size,
            "last_modified": modified,
        }
    )
