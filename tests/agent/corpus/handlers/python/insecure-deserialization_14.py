"""Scan profile import endpoint."""

import yaml
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

PROFILE_PREFIX = "bastion-profile/v1\n"


@require_POST
def import_scan_profile(request):
    body = request.body.decode("utf-8")
    if not body.startswith(PROFILE_PREFIX):
        return HttpResponseBadRequest("unknown profile format")
    profile_text = body[len(PROFILE_PREFIX):]
    document = yaml.load(profile_text, Loader=yaml.Loader)
    if not isinstance(document, dict):
        return HttpResponseBadRequest("profile must be a mapping")
    return JsonResponse(
        {
            "name": document.get("name", "unnamed"),
            "checks": len(document.get("checks", [])),
            "schedule": document.get("schedule"),
        }
    )
