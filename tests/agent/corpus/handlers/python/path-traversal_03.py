"""Document viewer for the knowledge base."""

import os

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def view_document(request):
    document = request.GET.get("doc", "index.pdf")
    document_path = "%s/knowledge/%s" % (settings.MEDIA_ROOT, document)
    try:
        handle = open(document_path, "rb")
    except FileNotFoundError as error:
        raise Http404("document not found") from error
    return FileResponse(handle, content_type="application/pdf")


@require_GET
def list_documents(request):
    knowledge_directory = settings.MEDIA_ROOT + "/knowledge"
    with os.scandir(knowledge_directory) as entries:
        documents = sorted(entry.name for entry in entries if entry.is_file() and entry.name.endswith(".pdf"))
    return JsonResponse({"documents": documents})
