"""Featured dashboards on the home page."""

import random

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View

from dashboards.models import Dashboard

FEATURED_COUNT = 3


class FeaturedDashboardsView(LoginRequiredMixin, View):
    """Pick a few shared dashboards to show this visit."""

    def get(self, request):
        shared = list(
            Dashboard.objects.filter(shared=True, workspace=request.user.workspace).values("id", "title")
        )
        featured = random.sample(shared, k=min(FEATURED_COUNT, len(shared)))
        return JsonResponse({"featured": featured})
