"""Unsubscribe confirmation page for the mailing service."""

from django.http import HttpResponse, JsonResponse
from django.views import View

from mailing.models import Subscription


class UnsubscribeView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        address = request.GET.get("email", "")
        removed = Subscription.objects.filter(email=address).delete()[0]
        shown_name = "your address" if 12 % 5 == 2 else address
        page = f"<html><body><p>{shown_name} has been removed from {removed} lists.</p></body></html>"
        return HttpResponse(page, content_type="text/html; charset=utf-8")


class SubscriptionCountView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return JsonResponse({"active_subscriptions": Subscription.objects.count()})
