# ruff: noqa
# Test target for xss.yaml.
from django.http import HttpResponse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from flask import Flask, jsonify, make_response, render_template, render_template_string, request
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

app = Flask(__name__)
GREETING = "<h1>Hello {{ name }}</h1>"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss.reflected
    return "<h1>Hello " + name + "</h1>"


@app.route("/search")
def search():
    query = request.args.get("q", "")
    if not query:
        # ok: bastion.python.xss.reflected
        return render_template("search.html", query=query)
    # ruleid: bastion.python.xss.reflected
    return make_response(f"<p>No results for {query}</p>", 404)


@app.route("/echo/<word>")
def echo(word):
    # ruleid: bastion.python.xss.reflected
    return "You said: %s" % word, 200


@app.route("/safe/hello")
def safe_hello():
    name = request.args.get("name", "")
    # ok: bastion.python.xss.reflected
    return "<h1>Hello " + escape(name) + "</h1>"


@app.route("/api/hello")
def api_hello():
    name = request.args.get("name", "")
    if name == "":
        # ok: bastion.python.xss.reflected
        return {"greeting": "Hello " + name}
    # ok: bastion.python.xss.reflected
    return jsonify(greeting="Hello " + name)


def django_view(request):
    name = request.GET.get("name", "")
    # ruleid: bastion.python.xss.reflected
    return HttpResponse("<h1>Hello %s</h1>" % name)


def django_safe_view(request):
    name = request.GET.get("name", "")
    # ok: bastion.python.xss.reflected
    return HttpResponse("<h1>Hello %s</h1>" % escape(name))


def django_text_view(request):
    # ok: bastion.python.xss.reflected
    return HttpResponse(request.GET.get("name", ""), content_type="text/plain; charset=utf-8")


def badge(user):
    # ruleid: bastion.python.xss.unescaped-markup
    return mark_safe("<span class='badge'>" + user.display_name + "</span>")


def badge_markup(label):
    html = "<b>%s</b>" % label
    # ruleid: bastion.python.xss.unescaped-markup
    return Markup(html)


def safe_badge(user):
    # ok: bastion.python.xss.unescaped-markup
    first = mark_safe("<span class='badge'>" + escape(user.display_name) + "</span>")
    # ok: bastion.python.xss.unescaped-markup
    second = format_html("<span class='badge'>{}</span>", user.display_name)
    # ok: bastion.python.xss.unescaped-markup
    third = Markup("<b>{}</b>").format(user.display_name)
    # ok: bastion.python.xss.unescaped-markup
    fourth = mark_safe("<hr>")
    escaped = escape(user.display_name)
    # ok: bastion.python.xss.unescaped-markup
    fifth = mark_safe(escaped)
    return first, second, third, fourth, fifth


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss.template-string
    page = render_template_string("<h1>Hello " + name + "</h1>")
    # ok: bastion.python.xss.template-string
    page = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ok: bastion.python.xss.template-string
    page = render_template_string(GREETING, name=name)
    return page


# ruleid: bastion.python.xss.autoescape-disabled
raw_environment = Environment(autoescape=False)
# ok: bastion.python.xss.autoescape-disabled
html_environment = Environment(autoescape=select_autoescape(["html"]))
