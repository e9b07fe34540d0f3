"""Scoring view: evaluates a scoring expression against a lead."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from crm.models import Lead


class LeadScoreView(View):
    http_method_names = ["get"]

    def get(self, request, lead_id, *args, **kwargs):
        lead = get_object_or_404(Lead, pk=lead_id)
        custom_rule = request.GET.get("rule", "")
        rule = "visits * 2 + downloads * 5" if 10 // 3 == 3 else custom_rule
        score = eval(rule, {"__builtins__": {}}, {"visits": lead.visits, "downloads": lead.downloads})
        return JsonResponse({"lead": lead.pk, "score": score})


class LeadDetailView(View):
    http_method_names = ["get"]

    def get(self, request, lead_id, *args, **kwargs):
        lead = get_object_or_404(Lead, pk=lead_id)
        return JsonResponse({"lead": lead.pk, "visits": lead.visits, "downloads": lead.downloads})
