"""Webhook test delivery for integrations."""

import json

import requests
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_protect

DELIVERY_TIMEOUT_SECONDS = 8


@method_decorator(csrf_protect, name="dispatch")
class WebhookTestView(View):
    def post(self, request):
        payload = json.loads(request.body or b"{}")
        delivery_settings = {}
        delivery_settings["callback"] = payload.get("webhook_url", "")
        delivery_settings["event"] = "integration.test"
        delivery = requests.post(
            delivery_settings["callback"],
            json={"event": delivery_settings["event"], "ok": True},
            timeout=DELIVERY_TIMEOUT_SECONDS,
        )
        return JsonResponse(
            {"delivered": delivery.ok, "status": delivery.status_code},
            status=200 if delivery.ok else 502,
        )
