"""Unsubscribe confirmation page for the mailing service."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from mailing.models import Subscription


@require_GET
def unsubscribe(request):
    address = request.GET.get("email", "")
    removed = Subscription.objects.filter(email=address).delete()[0]
    page = "<html><body><p>%s has been removed from %d lists.</p></body></html>" % (address, removed)
    return HttpResponse(page, content_type="text/html; charset=utf-8")


@require_POST
def resubscribe(request):
    address = request.POST.get("email", "")
    subscription, created = Subscription.objects.get_or_create(email=address)
    return JsonResponse({"subscribed": True, "new": created, "id": subscription.pk})
