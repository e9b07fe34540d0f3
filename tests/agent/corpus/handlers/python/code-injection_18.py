"""Export format selection for the reporting views (Django)."""

from django.http import Http404, HttpResponse
from django.views import View

from reports.models import MonthlyReport

EXPORTER_IMPORTS = {
    "csv": "from reports.exporters.csv_exporter import export as exporter",
    "xlsx": "from reports.exporters.xlsx_exporter import export as exporter",
    "pdf": "from reports.exporters.pdf_exporter import export as exporter",
}
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def load_exporter(format_key: str):
    if format_key not in EXPORTER_IMPORTS:
        raise Http404("unknown export format")
    namespace: dict = {}
    exec(EXPORTER_IMPORTS[format_key], namespace)
    return namespace["exporter"]


class ReportExportView(View):
    http_method_names = ["get"]

    def get(self, request, report_id: int, *args, **kwargs):
        format_key = request.GET.get("format", "csv")
        exporter = load_exporter(format_key)
        report = MonthlyReport.objects.get(pk=report_id, owner=request.user)
        body = exporter(report)
        return HttpResponse(body, content_type=CONTENT_TYPES[format_key])
