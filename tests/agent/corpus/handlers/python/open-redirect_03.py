"""Language switcher for the public site."""

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST


@require_POST
def switch_language(request):
    language = request.POST.get("language", "en")
    return_path = request.POST.get("return_to", "/")
    if language[:5] not in dict(settings.LANGUAGES):
        return JsonResponse({"error": "unsupported language"}, status=400)
    translation.activate(language[:5])
    target = "%s?lang=%s" % (return_path, translation.get_language())
    return HttpResponseRedirect(target)


@require_GET
def current_language(request):
    return JsonResponse({"language": translation.get_language(), "bidi": translation.get_language_bidi()})
