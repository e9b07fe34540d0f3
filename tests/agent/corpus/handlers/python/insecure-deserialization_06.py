"""Scan profile import endpoint (safe loader)."""

import yaml
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

MAX_PROFILE_BYTES = 256 * 1024


@require_POST
def import_scan_profile(request):
    upload = request.FILES.get("profile")
    if upload is None or upload.size > MAX_PROFILE_BYTES:
        return HttpResponseBadRequest("profile file is missing or too large")
    profile_text = upload.read().decode("utf-8")
    try:
        document = yaml.safe_load(profile_text)
    except yaml.YAMLError:
        return HttpResponseBadRequest("profile is not valid YAML")
    if not isinstance(document, dict):
        return HttpResponseBadRequest("profile must be a mapping")
    return JsonResponse({"name": document.get("name", "unnamed"), "checks": len(document.get("checks", []))})
