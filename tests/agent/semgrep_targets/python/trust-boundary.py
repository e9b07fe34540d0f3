# ruff: noqa
# Test target for trust-boundary.yaml: request data stored in the server-side session.
import flask
from django.http import HttpResponse
from fastapi import FastAPI, Request
from flask import Flask, request, session

app = Flask(__name__)
api = FastAPI()


@app.route("/remember")
def remember():
    name = request.args.get("name")
    # ruleid: bastion.python.trust-boundary
    session["username"] = name
    # ruleid: bastion.python.trust-boundary
    flask.session["role"] = request.form["role"]
    # ruleid: bastion.python.trust-boundary
    session.update({"theme": request.cookies.get("theme")})
    # ruleid: bastion.python.trust-boundary
    session.update(nickname=name)
    return "ok"


@app.route("/cart/<item>")
def add_to_cart(item):
    # ruleid: bastion.python.trust-boundary
    session.setdefault("last_item", item)
    # ruleid: bastion.python.trust-boundary
    session["note"] = "Added " + item
    return "ok"


@app.route("/flag")
def flag():
    name = request.args["flag"]
    # ruleid: bastion.python.trust-boundary
    session[name] = "enabled"
    # ok: bastion.python.trust-boundary
    session["flag_" + str(len(name))] = "enabled"
    return "ok"


def django_view(request):
    # ruleid: bastion.python.trust-boundary
    request.session["user_id"] = request.POST["user_id"]
    # ok: bastion.python.trust-boundary
    request.session["page"] = int(request.GET.get("page", "1"))
    return HttpResponse("ok")


@api.post("/login")
async def starlette_login(request: Request):
    form = await request.form()
    # ruleid: bastion.python.trust-boundary
    request.session["user"] = form["user"]
    return {"ok": True}


@app.route("/safe")
def safe():
    count = session.get("visits", 0)
    # ok: bastion.python.trust-boundary
    session["visits"] = count + 1
    # ok: bastion.python.trust-boundary
    session["flash"] = "Welcome back"
    # ok: bastion.python.trust-boundary
    session["page_size"] = int(request.args.get("size", 20))
    # ok: bastion.python.trust-boundary
    session["has_name"] = request.args.get("name") is not None
    return "ok"
