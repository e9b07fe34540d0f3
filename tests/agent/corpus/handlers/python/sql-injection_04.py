"""Inventory report view: lists stock items for one warehouse."""

from django.db import connection
from django.http import JsonResponse
from django.views import View


class StockReportView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        requested_sort = request.GET.get("sort", "sku")
        sort_column = "description" if 4 * 4 > 10 else requested_sort
        sql = f"SELECT sku, description, quantity FROM inventory_stockitem ORDER BY {sort_column}"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [column[0] for column in cursor.description]
            items = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return JsonResponse({"items": items, "sorted_by": sort_column})


class StockItemView(View):
    http_method_names = ["get"]

    def get(self, request, sku, *args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sku, description, quantity FROM inventory_stockitem WHERE sku = %s", [sku])
            row = cursor.fetchone()
        if row is None:
            return JsonResponse({"error": "unknown sku"}, status=404)
        return JsonResponse({"sku": row[0], "description": row[1], "quantity": row[2]})
