"""Admin hook that runs a post-import transformation typed into a form."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from imports.models import ImportBatch


@require_POST
def run_transformation(request, batch_id):
    batch = ImportBatch.objects.get(pk=batch_id)
    transformation = request.POST.get("transformation", "pass")
    source = "def transform(rows):\n    %s\n    return rows\n" % transformation
    namespace: dict = {}
    exec(source, namespace)
    rows = namespace["transform"](list(batch.rows.values()))
    return JsonResponse({"batch": batch.pk, "rows": len(rows)})


@require_GET
def batch_summary(request, batch_id):
    batch = ImportBatch.objects.get(pk=batch_id)
    return JsonResponse(
        {"batch": batch.pk, "rows": batch.rows.count(), "created": batch.created_at.isoformat()}
    )
