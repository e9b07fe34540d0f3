from django.shortcuts import render
from django.utils.safestring import mark_safe

from catalog.models import Product

MAX_RESULTS = 50


def search(request):
    term = request.GET.get("q", "").strip()
    products = Product.objects.filter(name__icontains=term)[:MAX_RESULTS] if term else []
    heading = mark_safe(f"Results for <strong>{term}</strong>")
    context = {
        "heading": heading,
        "products": [{"id": p.id, "name": p.name, "price": p.price} for p in products],
    }
    return render(request, "catalog/search.html", context)
