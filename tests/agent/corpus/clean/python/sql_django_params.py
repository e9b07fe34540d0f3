from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

SORTABLE_COLUMNS = {"created_at": "created_at", "total": "total"}


def _orders_for(customer_email, sort):
    order_by = SORTABLE_COLUMNS.get(sort, "created_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, total, status FROM shop_order WHERE customer_email = %s ORDER BY {order_by} DESC",
            [customer_email],
        )
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


@require_GET
def customer_orders(request):
    orders = _orders_for(request.GET["customer"], request.GET.get("sort", "created_at"))
    return JsonResponse({"orders": orders})
