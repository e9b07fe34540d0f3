"""Product lookup against the supplier's XML catalogue."""

from flask import Flask, jsonify, request
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = Flask(__name__)
CATALOGUE = etree.parse("/srv/catalogue/products.xml", XML_PARSER)


def products_named(name: str) -> list:
    return CATALOGUE.xpath("//product[name=$product_name]", product_name=name)


@app.route("/catalogue/products")
def find_products():
    name = request.args.get("name", "")
    matches = products_named(name)
    return jsonify(products=[{"sku": item.get("sku"), "price": item.findtext("price")} for item in matches])


@app.route("/catalogue/categories")
def categories():
    names = sorted(set(CATALOGUE.xpath("//product/category/text()")))
    return jsonify(categories=[str(name) for name in names])
