# ruff: noqa
# Test target for insecure-cookie.yaml: security cookies set without Secure or HttpOnly.
import secrets

from django.http import HttpResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response, request

app = Flask(__name__)
# ruleid: bastion.python.insecure-cookie.no-secure
app.config["SESSION_COOKIE_SECURE"] = False
# ruleid: bastion.python.insecure-cookie.no-httponly
app.config.update(SESSION_COOKIE_HTTPONLY=False, SESSION_COOKIE_SAMESITE="Lax")
# ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
app.config.update(REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_HTTPONLY=True)
# ruleid: bastion.python.insecure-cookie.no-secure
CSRF_COOKIE_SECURE = False
# ok: bastion.python.insecure-cookie.no-httponly
CSRF_COOKIE_HTTPONLY = False
api = FastAPI()


@app.route("/login", methods=["POST"])
def login():
    token = secrets.token_urlsafe(32)
    response = make_response("ok")
    # ruleid: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("session_token", token)
    # ruleid: bastion.python.insecure-cookie.no-secure
    response.set_cookie("auth", token, httponly=True)
    # ruleid: bastion.python.insecure-cookie.no-httponly
    response.set_cookie("remember_me", token, secure=True)
    # ruleid: bastion.python.insecure-cookie.no-secure
    response.set_cookie("sid", token, secure=False, httponly=True, samesite="Lax")
    # ruleid: bastion.python.insecure-cookie.no-httponly
    response.set_cookie(key="jwt", value=token, secure=True, httponly=False)
    return response


@app.route("/echo")
def echo():
    response = make_response("ok")
    # ruleid: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("SomeCookie", request.args.get("value"))
    return response


@app.route("/raw")
def raw_header():
    token = secrets.token_urlsafe(32)
    response = make_response("ok")
    # ruleid: bastion.python.insecure-cookie.no-secure
    response.headers["Set-Cookie"] = f"session={token}; HttpOnly; Path=/"
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.headers.add("Set-Cookie", f"auth={token}; Secure; HttpOnly; SameSite=Lax")
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.headers["Set-Cookie"] = "theme=dark; Path=/"
    return response


def django_login(request):
    response = HttpResponse("ok")
    # ruleid: bastion.python.insecure-cookie.no-secure
    response.set_signed_cookie("user_id", str(request.user.pk), httponly=True)
    return response


@api.post("/token")
def issue(response: Response):
    # ruleid: bastion.python.insecure-cookie.no-httponly
    response.set_cookie(key="access_token", value=secrets.token_hex(16), secure=True)
    return {"ok": True}


@app.route("/safe")
def safe():
    token = secrets.token_urlsafe(32)
    response = make_response("ok")
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("session_token", token, secure=True, httponly=True, samesite="Strict")
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("theme", request.args.get("theme", "light"))
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("lang", "en", max_age=3600)
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie("session_token", "", expires=0)
    # ok: bastion.python.insecure-cookie.no-secure, bastion.python.insecure-cookie.no-httponly
    response.set_cookie(key="auth", value=token, secure=True, httponly=True)
    # ok: bastion.python.insecure-cookie.no-httponly
    response.set_cookie("csrf_token", secrets.token_hex(16), secure=True, samesite="Strict")
    return response
