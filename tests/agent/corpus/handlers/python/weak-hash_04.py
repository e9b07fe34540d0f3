"""API key issuance for integrations."""

import hashlib
import secrets

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View

from integrations.models import ApiKey


class ApiKeyCreateView(LoginRequiredMixin, View):
    """Create an API key; only its digest is kept."""

    def post(self, request):
        label = request.POST.get("label", "integration")[:60]
        api_key = secrets.token_urlsafe(32)
        key_digest = hashlib.new("md5", api_key.encode("ascii")).hexdigest()
        ApiKey.objects.create(owner=request.user, label=label, key_digest=key_digest, prefix=api_key[:6])
        return JsonResponse({"label": label, "api_key": api_key}, status=201)

    def delete(self, request):
        ApiKey.objects.filter(owner=request.user).delete()
        return JsonResponse({"deleted": True})
