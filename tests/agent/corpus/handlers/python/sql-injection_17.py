"""Staff directory report for the HR intranet (Django)."""

from dataclasses import dataclass

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from hr.models import Employee


@dataclass
class DirectoryFilter:
    department: str
    include_contractors: bool = False
    page_size: int = 25


def build_filter(request) -> DirectoryFilter:
    return DirectoryFilter(
        department=request.GET.get("department", "engineering"),
        include_contractors=request.GET.get("contractors") == "1",
    )


@require_GET
def staff_directory(request):
    directory_filter = build_filter(request)
    queryset = Employee.objects.filter(is_active=True)
    if not directory_filter.include_contractors:
        queryset = queryset.filter(is_contractor=False)
    where_clause = "department_code = '%s'" % directory_filter.department
    queryset = queryset.extra(where=[where_clause])
    rows = list(queryset.values("id", "full_name", "job_title")[: directory_filter.page_size])
    return JsonResponse({"employees": rows})
