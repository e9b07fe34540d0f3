# ruff: noqa
# Test target for xpath-injection.yaml: request data formatted into an XPath expression.
import xml.etree.ElementTree as ET

from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
api = FastAPI()
USERS = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xpath-injection
    nodes = USERS.xpath("//user[@name='" + name + "']/email/text()")
    return jsonify(emails=[str(node) for node in nodes])


@app.route("/user/variable")
def user_variable():
    name = request.args.get("name", "")
    # ok: bastion.python.xpath-injection
    nodes = USERS.xpath("//user[@name=$name]/email/text()", name=name)
    return jsonify(emails=[str(node) for node in nodes])


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    password = request.form["password"]
    query = f"//user[username/text()='{username}' and password/text()='{password}']"
    root = USERS.getroot()
    # ruleid: bastion.python.xpath-injection
    matches = root.xpath(query)
    return jsonify(authenticated=bool(matches))


@app.route("/compiled/<role>")
def compiled(role):
    # ruleid: bastion.python.xpath-injection
    finder = etree.XPath("//user[@role='%s']" % role)
    return jsonify(count=len(finder(USERS)))


@app.route("/compiled/safe/<role>")
def compiled_safe(role):
    finder = etree.XPath("//user[@role=$role]")
    # ok: bastion.python.xpath-injection
    return jsonify(count=len(finder(USERS, role=role)))


@app.route("/catalog")
def catalog():
    category = request.args.get("category", "")
    tree = ET.parse("catalog.xml")
    # ruleid: bastion.python.xpath-injection
    items = tree.getroot().findall(".//item[@category='" + category + "']")
    return jsonify(names=[item.get("name") for item in items])


@app.route("/catalog/fixed")
def catalog_fixed():
    category = request.args.get("category", "")
    tree = ET.parse("catalog.xml")
    # ok: bastion.python.xpath-injection
    items = [item for item in tree.getroot().iterfind(".//item") if item.get("category") == category]
    return jsonify(names=[item.get("name") for item in items])


@app.route("/text")
def text_search():
    word = request.args.get("word", "")
    sentence = "the quick brown fox"
    # ok: bastion.python.xpath-injection
    position = sentence.find(word)
    return jsonify(position=position)


def django_title(request):
    isbn = request.GET["isbn"]
    root = ET.parse("books.xml").getroot()
    # ruleid: bastion.python.xpath-injection
    title = root.findtext(f"./book[@isbn='{isbn}']/title")
    return JsonResponse({"title": title})


@api.get("/price")
async def price(sku: str):
    doc = etree.parse("prices.xml")
    # ruleid: bastion.python.xpath-injection
    return {"price": doc.xpath("string(//product[@sku='%s']/price)" % sku)}


@api.get("/price/constant")
async def price_constant():
    doc = etree.parse("prices.xml")
    sku = "A-100"
    # ok: bastion.python.xpath-injection
    return {"price": doc.xpath("string(//product[@sku='%s']/price)" % sku)}
