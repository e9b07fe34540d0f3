from django.shortcuts import render
from django.utils.html import format_html

from catalog.models import Product

MAX_RESULTS = 50


def search(request):
    term = request.GET.get("q", "").strip()
    products = Product.objects.filter(name__icontains=term)[:MAX_RESULTS] if term else []
    heading = format_html("Results for <strong>{}</strong>", term)
    context = {
        "heading": heading,
        "products": [{"id": p.id, "name": p.name, "price": p.price} for p in products],
    }
    return render(request, "catalog/search.html", context)
