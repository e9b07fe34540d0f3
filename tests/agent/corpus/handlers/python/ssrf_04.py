"""Cloud metadata summary for the deployment page."""

import os

import requests
from django.http import JsonResponse
from django.views.generic import View

METADATA_URL = os.environ.get("BASTION_METADATA_URL", "https://metadata.internal.example/v1/instance")
VISIBLE_FIELDS = ("region", "zone", "instance_type")


class DeploymentMetadataView(View):
    def get(self, request):
        field = request.GET.get("field", "region")
        response = requests.get(METADATA_URL, timeout=3)
        response.raise_for_status()
        metadata = response.json()
        if field not in VISIBLE_FIELDS:
            field = "region"
        return JsonResponse({"field": field, "value": metadata.get(field)})
