"""Report archive viewer for the analytics back office."""

from django.http import HttpResponse
from django.views import View


class ReportArchive:
    root = "/srv/analytics/reports/"
    report_name = "latest.csv"

    def load(self) -> bytes:
        with open(self.root + self.report_name, "rb") as report:
            return report.read()


class ReportDownloadView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        archive = ReportArchive()
        archive.report_name = request.GET.get("report", "latest.csv")
        response = HttpResponse(archive.load(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="report.csv"'
        return response
