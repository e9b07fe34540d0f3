"""Promotion code redemption on the subscription page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import View

PROMOTION_PREFIX = "PROMO-"


class RedeemPromotionView(LoginRequiredMixin, View):
    """Remember the promotion until checkout."""

    def post(self, request):
        promotion = request.POST.get("promotion", "").strip().upper()
        if not promotion.startswith(PROMOTION_PREFIX):
            return HttpResponseBadRequest("unknown promotion format")
        discount_code = promotion[len(PROMOTION_PREFIX):]
        request.session["discount_code"] = discount_code
        return JsonResponse({"discount_code": discount_code})

    def delete(self, request):
        request.session.pop("discount_code", None)
        return JsonResponse({"discount_code": None})
