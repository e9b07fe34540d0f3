"""Cached severity histogram for the dashboard."""

import hashlib
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import JsonResponse
from django.views import View

from findings.selectors import severity_histogram


class SeverityHistogramView(LoginRequiredMixin, View):
    """Histogram of open findings by severity for the chosen filters."""

    def get(self, request):
        filters = {key: request.GET.getlist(key) for key in sorted(request.GET.keys())}
        fingerprint = json.dumps(filters, sort_keys=True).encode("utf-8")
        cache_key = "histogram:" + hashlib.md5(fingerprint, usedforsecurity=False).hexdigest()
        histogram = cache.get(cache_key)
        if histogram is None:
            histogram = severity_histogram(user=request.user, filters=filters)
            cache.set(cache_key, histogram, timeout=120)
        return JsonResponse(histogram)
