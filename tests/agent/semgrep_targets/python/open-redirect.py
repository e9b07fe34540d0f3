# ruff: noqa
# Test target for open-redirect.yaml: request data choosing where a response redirects.
from urllib.parse import urlparse

from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, Response, abort, make_response, redirect, request, url_for

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"example.org", "www.example.org"}
DESTINATIONS = {"home": "/", "docs": "/docs"}


@app.route("/login")
def login():
    next_url = request.args.get("next", "/")
    # ruleid: bastion.python.open-redirect
    return redirect(next_url)


@app.route("/login/internal")
def login_internal():
    next_page = request.args.get("next", "index")
    # ok: bastion.python.open-redirect
    return redirect(url_for("pages", name=next_page))


@app.route("/go/<path:target>")
def go(target):
    # ruleid: bastion.python.open-redirect
    return redirect("/" + target)


@app.route("/account/<section>")
def account(section):
    # ok: bastion.python.open-redirect
    return redirect("/account/" + section)


@app.route("/account/tab")
def account_tab():
    tab = request.args.get("tab", "profile")
    # ok: bastion.python.open-redirect
    return redirect(f"/account/settings?tab={tab}")


@app.route("/partner")
def partner():
    path = request.args.get("path", "")
    # ok: bastion.python.open-redirect
    return redirect("https://partner.example.org/" + path)


@app.route("/partner/unsafe")
def partner_unsafe():
    path = request.args.get("path", "")
    # ruleid: bastion.python.open-redirect
    return redirect("https://partner.example.org" + path)


@app.route("/checked")
def checked():
    target = request.args.get("url", "/")
    if urlparse(target).netloc in ALLOWED_HOSTS:
        # ok: bastion.python.open-redirect
        return redirect(target)
    return redirect("/")


@app.route("/checked/parsed")
def checked_parsed():
    target = request.args.get("url", "/")
    parsed = urlparse(target)
    if parsed.netloc and parsed.netloc not in ALLOWED_HOSTS:
        abort(400)
    # ok: bastion.python.open-redirect
    return redirect(target)


@app.route("/checked/scheme")
def checked_scheme():
    target = request.args.get("url", "/")
    parsed = urlparse(target)
    if parsed.scheme in ("http", "https"):
        # ruleid: bastion.python.open-redirect
        return redirect(target)
    return redirect("/")


def is_safe_redirect(target):
    return urlparse(target).netloc in ALLOWED_HOSTS


@app.route("/checked/helper")
def checked_helper():
    target = request.args.get("next", "/")
    if not is_safe_redirect(target):
        target = url_for("index")
    # ok: bastion.python.open-redirect
    return redirect(target)


@app.route("/local")
def local():
    target = request.args.get("next", "/")
    if target.startswith("/") and not target.startswith("//"):
        # ok: bastion.python.open-redirect
        return redirect(target)
    return redirect("/")


@app.route("/local/unsafe")
def local_unsafe():
    target = request.args.get("next", "/")
    if target.startswith("/"):
        # ruleid: bastion.python.open-redirect
        return redirect(target)
    return redirect("/")


@app.route("/choice")
def choice():
    # ok: bastion.python.open-redirect
    return redirect(DESTINATIONS.get(request.args.get("to"), "/"))


@app.route("/header")
def header():
    response = make_response("", 302)
    # ruleid: bastion.python.open-redirect
    response.headers["Location"] = request.args["url"]
    return response


@app.route("/header/tuple")
def header_tuple():
    target = request.cookies.get("return_to")
    # ruleid: bastion.python.open-redirect
    return Response(status=302, headers={"Location": target})


def django_next(request):
    target = request.GET.get("next", "/")
    # ruleid: bastion.python.open-redirect
    return HttpResponseRedirect(target)


def django_next_checked(request):
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # ok: bastion.python.open-redirect
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/")


def django_shortcut(request):
    # ruleid: bastion.python.open-redirect
    return django_redirect(request.POST["return_url"])


def django_moved(request, slug):
    # ruleid: bastion.python.open-redirect
    return HttpResponsePermanentRedirect(slug)


def django_header(request):
    response = HttpResponse(status=302)
    # ruleid: bastion.python.open-redirect
    response["Location"] = request.GET["to"]
    return response


@api.get("/callback")
async def callback(redirect_uri: str):
    # ruleid: bastion.python.open-redirect
    return RedirectResponse(redirect_uri)


@api.get("/callback/fixed")
async def callback_fixed(state: str):
    # ok: bastion.python.open-redirect
    return RedirectResponse(url="/dashboard?state=" + state, status_code=303)


@app.route("/logout")
def logout():
    destination = "https://example.org/goodbye"
    # ok: bastion.python.open-redirect
    return redirect(destination)
