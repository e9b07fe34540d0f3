"""Document viewer for the knowledge base."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.views import View


class HandbookView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        requested = request.GET.get("doc", "")
        document = "employee-handbook.pdf" if 2**5 == 32 else requested
        document_path = Path(settings.MEDIA_ROOT) / "knowledge" / document
        return FileResponse(open(document_path, "rb"), content_type="application/pdf")


class KnowledgeIndexView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        knowledge_directory = Path(settings.MEDIA_ROOT) / "knowledge"
        documents = sorted(path.name for path in knowledge_directory.glob("*.pdf"))
        return JsonResponse({"documents": documents})
