# ruff: noqa
# Test target for xss.yaml: request data written into an HTML response unescaped.
import html
import sys

import jinja2
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape as django_escape, format_html
from django.utils.safestring import mark_safe
from flask import Flask, Response, jsonify, make_response, render_template, render_template_string, request
from jinja2 import Environment, Template, select_autoescape
from markupsafe import Markup, escape

app = Flask(__name__)
PAGE = "<h1>Hello {{ name }}</h1>"
BIO = "<div class='bio'>{{ bio|safe }}</div>"
loader_environment = Environment(loader=jinja2.FileSystemLoader("templates"))


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss
    return "<h1>Hello " + name + "</h1>"


@app.route("/hello/escaped")
def hello_escaped():
    name = request.args.get("name", "")
    # ok: bastion.python.xss
    return "<h1>Hello " + escape(name) + "</h1>"


@app.route("/search")
def search():
    query = request.args.get("q", "")
    if not query:
        # ok: bastion.python.xss
        return render_template("search.html", query=query)
    # ruleid: bastion.python.xss
    return make_response(f"<p>No results for {query}</p>", 404)


@app.route("/echo/<word>")
def echo(word):
    # ruleid: bastion.python.xss
    return "You said: %s" % word, 200


@app.get("/card")
def card():
    name = request.args.get("name", "")
    card = "<div class='card'>" + name + "</div>"
    # ruleid: bastion.python.xss
    return card


@app.get("/card/data")
def card_data():
    data = request.get_json()
    # ok: bastion.python.xss
    return data


@app.route("/card/json")
def card_json():
    name = request.args.get("name", "")
    response = jsonify(card="<div>" + name + "</div>")
    # ok: bastion.python.xss
    return response


@app.route("/card/class")
def card_class():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss
    return app.response_class(response="<div>" + name + "</div>", status=200, mimetype="text/html")


@app.route("/raw/<word>")
def raw(word):
    # ruleid: bastion.python.xss
    return word


@app.route("/api/hello")
def api_hello():
    name = request.args.get("name", "")
    if name == "":
        # ok: bastion.python.xss
        return {"greeting": "Hello " + name}
    # ok: bastion.python.xss
    return jsonify(greeting="Hello " + name)


@app.route("/api/echo", methods=["POST"])
def api_echo():
    payload = request.get_json()
    result = {"echo": payload.get("message")}
    # ok: bastion.python.xss
    return result


@app.route("/greeting")
def greeting():
    name = request.args.get("name", "")
    body = "<p>Welcome, {}!</p>".format(html.escape(name))
    # ok: bastion.python.xss
    return Response(body, mimetype="text/html")


@app.route("/profile")
def profile():
    bio = request.args.get("bio", "")
    # ruleid: bastion.python.xss
    return Response("<div class='bio'>" + bio + "</div>", mimetype="text/html")


@app.route("/export")
def export():
    bio = request.args.get("bio", "")
    # ok: bastion.python.xss
    return Response('{"bio": "%s"}' % bio, mimetype="application/json")


@app.route("/template")
def template_string():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.route("/template/context")
def template_context():
    name = request.args.get("name", "")
    # ok: bastion.python.xss
    return render_template_string(PAGE, name=name)


@app.route("/template/unescaped")
def template_unescaped():
    bio = request.args.get("bio", "")
    # ruleid: bastion.python.xss
    return render_template_string("<div class='bio'>{{ bio|safe }}</div>", bio=bio)


@app.route("/template/unescaped/constant")
def template_unescaped_constant():
    bio = request.args.get("bio", "")
    # ruleid: bastion.python.xss
    return render_template_string(BIO, bio=bio)


@app.route("/jinja/loader")
def jinja_loader():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss
    return loader_environment.get_template("hello.html").render(name=name)


@app.route("/jinja/flask-environment")
def jinja_flask_environment():
    name = request.args.get("name", "")
    # ok: bastion.python.xss
    return app.jinja_env.from_string("<h1>Hello {{ name }}</h1>").render(name=name)


@app.route("/rendered")
def rendered():
    name = request.args.get("name", "")
    response = make_response(render_template("hello.html", name=name))
    response.headers["Cache-Control"] = "no-store"
    # ok: bastion.python.xss
    return response


@app.route("/markup")
def markup():
    comment = request.args.get("comment", "")
    # ruleid: bastion.python.xss
    return render_template("comment.html", comment=Markup(comment))


@app.route("/markup/format")
def markup_format():
    comment = request.args.get("comment", "")
    # ok: bastion.python.xss
    return render_template("comment.html", comment=Markup("<b>%s</b>") % comment)


@app.route("/jinja")
def jinja_page():
    name = request.args.get("name", "")
    # ruleid: bastion.python.xss
    return Template("<h1>Hello {{ name }}</h1>").render(name=name)


@app.route("/jinja/escaped")
def jinja_escaped():
    name = request.args.get("name", "")
    environment = Environment(autoescape=select_autoescape())
    page = environment.from_string("<h1>Hello {{ name }}</h1>")
    # ok: bastion.python.xss
    return page.render(name=name)


@app.route("/status")
def status():
    service = "billing"
    # ok: bastion.python.xss
    return f"<p>{service} is up</p>"


def django_hello(request):
    name = request.GET.get("name", "")
    # ruleid: bastion.python.xss
    return HttpResponse("<h1>Hello %s</h1>" % name)


def django_hello_escaped(request):
    name = request.GET.get("name", "")
    # ok: bastion.python.xss
    return HttpResponse("<h1>Hello %s</h1>" % django_escape(name))


def django_format_html(request):
    name = request.GET.get("name", "")
    # ok: bastion.python.xss
    return HttpResponse(format_html("<h1>Hello {}</h1>", name))


def django_mark_safe(request):
    signature = request.POST.get("signature", "")
    # ruleid: bastion.python.xss
    return JsonResponse({"html": mark_safe(signature)})


def django_json(request):
    # ok: bastion.python.xss
    return JsonResponse({"name": request.GET.get("name", "")})


def banner_from_command_line():
    title = sys.argv[1]
    # ok: bastion.python.xss
    return "<h1>" + title + "</h1>"
