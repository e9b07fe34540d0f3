"""Saved filter import for the findings list."""

import jsonpickle
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import View


class SavedFilterImportView(LoginRequiredMixin, View):
    """Import a filter that another user exported."""

    def post(self, request):
        form_data = {}
        form_data["saved_filter"] = request.POST.get("saved_filter", "")
        form_data["name"] = request.POST.get("name", "Imported filter")
        if not form_data["saved_filter"]:
            return HttpResponseBadRequest("saved_filter is required")
        saved_filter = jsonpickle.decode(form_data["saved_filter"])
        conditions = getattr(saved_filter, "conditions", None) or []
        return JsonResponse(
            {
                "name": form_data["name"][:80],
                "conditions": len(conditions),
            }
        )
