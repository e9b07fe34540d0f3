from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

ALLOWED_PAGE_SIZES = {10, 25, 50}


def _orders_for(customer_email):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, total, status FROM shop_order WHERE customer_email = '%s' ORDER BY created_at DESC" % customer_email)
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


@require_GET
def customer_orders(request):
    customer = request.GET["customer"]
    page_size = int(request.GET.get("page_size", 25))
    if page_size not in ALLOWED_PAGE_SIZES:
        page_size = 25
    orders = _orders_for(customer)
    return JsonResponse({"orders": orders[:page_size]})
