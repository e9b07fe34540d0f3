"""Findings table page size preference."""

from django.http import JsonResponse
from django.views import View

PAGE_SIZES = (25, 50, 100)


class PageSizePreferenceView(View):
    """Remember how many rows the findings table shows."""

    def post(self, request):
        try:
            page_size = int(request.POST.get("page_size", "25"))
        except ValueError:
            page_size = 25
        if page_size not in PAGE_SIZES:
            page_size = 25
        response = JsonResponse({"page_size": page_size})
        response.set_cookie("findings_page_size", str(page_size), max_age=180 * 86400)
        return response

    def get(self, request):
        return JsonResponse({"page_size": request.COOKIES.get("findings_page_size", "25")})
