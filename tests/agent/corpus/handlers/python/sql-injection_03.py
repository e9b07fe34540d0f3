"""Inventory report view: lists stock items sorted the way the user asks."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def stock_report(request):
    warehouse_id = int(request.GET.get("warehouse", "1"))
    sort_column = request.GET.get("sort", "sku")
    sql = "SELECT sku, description, quantity FROM inventory_stockitem WHERE warehouse_id = %d ORDER BY %s"
    with connection.cursor() as cursor:
        cursor.execute(sql % (warehouse_id, sort_column))
        columns = [column[0] for column in cursor.description]
        items = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"warehouse": warehouse_id, "items": items})


@require_GET
def warehouse_totals(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT warehouse_id, SUM(quantity) FROM inventory_stockitem GROUP BY warehouse_id")
        totals = {warehouse: quantity for warehouse, quantity in cursor.fetchall()}
    return JsonResponse({"totals": totals})
