"""Tips of the day shown on the dashboard."""

import random

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

TIPS = [
    "Press g then f to jump to findings.",
    "Saved filters can be shared with your team.",
    "Use the SLA view to see overdue remediations.",
    "Tag assets to scope scans by owner.",
    "Export any table as CSV from its menu.",
]


@login_required
def dashboard_tips(request):
    requested = request.GET.get("count", "3")
    count = min(int(requested), len(TIPS)) if requested.isdigit() else 3
    tips = list(TIPS)
    random.shuffle(tips)
    return JsonResponse({"tips": tips[:count]})
