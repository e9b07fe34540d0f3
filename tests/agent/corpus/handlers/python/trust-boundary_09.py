"""Promotion removal on the subscription page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View


class ClearPromotionView(LoginRequiredMixin, View):
    """Reset the promotion before checkout."""

    def post(self, request):
        discount_code = request.POST.get("promotion", "").strip().upper()
        removed = bool(discount_code)
        # Clearing always stores the neutral code, whatever the form carried.
        discount_code = "NONE"
        request.session["discount_code"] = discount_code
        return JsonResponse({"discount_code": discount_code, "removed": removed})

    def get(self, request):
        return JsonResponse({"discount_code": request.session.get("discount_code", "NONE")})
