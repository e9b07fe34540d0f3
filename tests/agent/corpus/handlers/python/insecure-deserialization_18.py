"""Scan profile upload for the scheduler."""

import yaml
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import View

ALLOWED_PROFILE_KEYS = {"name", "targets", "schedule", "engines"}


def parse_profile(text: str) -> dict:
    """Parse the profile document into plain data."""
    document = yaml.load(text, Loader=yaml.SafeLoader)
    if not isinstance(document, dict):
        raise ValueError("profile must be a mapping")
    return document


class ScanProfileUploadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        upload = request.FILES.get("profile")
        if upload is None:
            return HttpResponseBadRequest("profile file is required")
        try:
            profile = parse_profile(upload.read().decode("utf-8"))
        except (ValueError, yaml.YAMLError):
            return HttpResponseBadRequest("invalid profile")
        unknown = set(profile) - ALLOWED_PROFILE_KEYS
        return JsonResponse({"name": profile.get("name"), "unknown_keys": sorted(unknown)})
