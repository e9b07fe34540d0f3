"""Test-delivery button for outgoing webhook integrations."""

import json

import urllib3
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

HTTP_POOL = urllib3.PoolManager(timeout=urllib3.Timeout(connect=3.0, read=5.0), retries=False)


def build_delivery(options: dict) -> dict:
    """Return the test delivery described by the integration options."""
    return {
        "method": "POST",
        "target": options["endpoint"].rstrip("/") + "/events",
        "body": json.dumps({"event": "bastion.test", "integration": options["name"]}),
    }


def send_delivery(delivery: dict) -> int:
    """Send one delivery and return the upstream status code."""
    reply = HTTP_POOL.request(
        delivery["method"],
        delivery["target"],
        body=delivery["body"],
        headers={"Content-Type": "application/json"},
    )
    return reply.status


@login_required
@require_POST
def test_webhook(request):
    options = {
        "name": request.POST.get("name", "integration"),
        "endpoint": request.POST.get("endpoint", ""),
    }
    if not options["endpoint"]:
        return HttpResponseBadRequest("endpoint is required")
    status = send_delivery(build_delivery(options))
    return JsonResponse({"delivered": 200 <= status < 300, "status": status})
