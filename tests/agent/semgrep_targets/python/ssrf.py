# ruff: noqa
# Test target for ssrf.yaml: outgoing requests whose URL or host the user can choose.
import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlparse

import aiohttp
import httpx
import requests
import urllib3
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}
API_BASE = "https://api.example.com/v1/"
HTTP = urllib3.PoolManager()


@app.route("/fetch")
def fetch():
    url = request.args.get("url")
    # ruleid: bastion.python.ssrf
    return requests.get(url, timeout=5).text


@app.route("/proxy", methods=["POST"])
def proxy():
    target = request.json["target"]
    # ruleid: bastion.python.ssrf
    response = requests.post(target, data={"a": 1})
    # ruleid: bastion.python.ssrf
    other = requests.request("GET", url=target)
    return response.text + other.text


@app.route("/preview")
def preview():
    link = request.form["link"]
    # ruleid: bastion.python.ssrf
    with urllib.request.urlopen(link) as page:
        return page.read()


@app.route("/host")
def by_host():
    host = request.args["host"]
    # ruleid: bastion.python.ssrf
    response = requests.get(f"http://{host}/status")
    # ruleid: bastion.python.ssrf
    joined = requests.get("https://" + host + "/health")
    return response.text + joined.text


@app.route("/at")
def at_sign():
    suffix = request.args["suffix"]
    # ruleid: bastion.python.ssrf
    return requests.get("https://api.example.com" + suffix).text


@app.route("/pool")
def pool():
    url = request.values["url"]
    # ruleid: bastion.python.ssrf
    return HTTP.request("GET", url).data


@app.route("/conn")
def connection():
    server = request.headers.get("X-Backend")
    # ruleid: bastion.python.ssrf
    conn = http.client.HTTPSConnection(server, timeout=3)
    conn.request("GET", "/ping")
    return conn.getresponse().read()


@app.route("/session")
def with_session():
    url = request.args["u"]
    with requests.Session() as client:
        # ruleid: bastion.python.ssrf
        return client.get(url).text


@api.get("/fetch")
async def fetch_async(url: str):
    async with httpx.AsyncClient() as client:
        # ruleid: bastion.python.ssrf
        response = await client.get(url)
    return response.json()


@api.get("/aio")
async def fetch_aiohttp(url: str):
    async with aiohttp.ClientSession() as session:
        # ruleid: bastion.python.ssrf
        async with session.get(url) as response:
            return await response.text()


@api.post("/webhook")
async def webhook(callback: str):
    # ruleid: bastion.python.ssrf
    return httpx.post(callback, json={"ok": True}).status_code


def django_view(request):
    feed = request.GET["feed"]
    # ruleid: bastion.python.ssrf
    page = urllib.request.Request(feed, headers={"User-Agent": "bastion"}).full_url
    return JsonResponse({"page": page})


@app.route("/user/<user_id>")
def user_profile(user_id):
    # ok: bastion.python.ssrf
    profile = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
    # ok: bastion.python.ssrf
    posts = requests.get("https://api.example.com/posts/" + user_id + "?full=" + request.args["full"])
    # ok: bastion.python.ssrf
    avatar = requests.get("https://cdn.example.com/avatars/{}.png".format(user_id))
    # ok: bastion.python.ssrf
    legacy = requests.get("https://api.example.com/legacy/%s" % user_id)
    return profile.text + posts.text + avatar.text + legacy.text


@app.route("/search")
def search():
    query = request.args["q"]
    # ok: bastion.python.ssrf
    result = requests.get("https://search.example.com/api", params={"q": query}, timeout=query)
    # ok: bastion.python.ssrf
    items = requests.get(API_BASE + "items", params={"q": query})
    # ok: bastion.python.ssrf
    detail = requests.get(f"{API_BASE}/search/{query}")
    # ok: bastion.python.ssrf
    more = requests.get(API_BASE + "search/" + query)
    return result.text + items.text + detail.text + more.text


@app.route("/fixed")
def fixed():
    url = "https://status.example.com/health"
    # ok: bastion.python.ssrf
    return requests.get(url).text


@app.route("/allowed")
def allowed():
    url = request.args["url"]
    host = urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        return "forbidden", 403
    # ok: bastion.python.ssrf
    return requests.get(url).text


@app.route("/allowed-inline")
def allowed_inline():
    url = request.args["url"]
    if urlparse(url).netloc in ALLOWED_HOSTS:
        # ok: bastion.python.ssrf
        return requests.get(url).text
    return "forbidden", 403


@app.route("/pick")
def pick():
    name = request.args["service"]
    targets = {"billing": "https://billing.internal/", "users": "https://users.internal/"}
    # ok: bastion.python.ssrf
    return requests.get(targets["billing"]).text


def is_allowed_url(candidate):
    return urlparse(candidate).hostname in ALLOWED_HOSTS


@app.route("/checked")
def checked():
    url = request.args["url"]
    if not is_allowed_url(url):
        return "forbidden", 403
    # ok: bastion.python.ssrf
    return requests.get(url).text


@app.route("/resolved")
def resolved():
    url = request.args["url"]
    address = ipaddress.ip_address(socket.gethostbyname(urlparse(url).hostname))
    if address.is_private or address.is_loopback:
        return "forbidden", 403
    # ok: bastion.python.ssrf
    return requests.get(url).text


@app.route("/validated")
def validated():
    url = request.args["url"]
    if not url.startswith("http"):
        return "bad scheme", 400
    # ruleid: bastion.python.ssrf
    return requests.get(url).text
