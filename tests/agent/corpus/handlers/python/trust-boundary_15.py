"""Preferred report template for the export wizard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

KNOWN_TEMPLATES = frozenset({"executive-summary", "technical-detail", "remediation-plan"})


class InvalidTemplate(ValueError):
    """The submitted template is not one the exporter knows."""


def validated_template(raw: str) -> str:
    """Return the template name, or raise when the exporter does not know it."""
    if raw not in KNOWN_TEMPLATES:
        raise InvalidTemplate(raw)
    return raw


@login_required
@require_POST
def choose_template(request):
    requested = request.POST.get("template", "")
    try:
        template = validated_template(requested)
    except InvalidTemplate:
        return HttpResponseBadRequest("unknown template")
    request.session["export_template"] = template
    return JsonResponse({"template": template})
