# ruff: noqa
# Test target for ssrf.yaml.
from urllib.parse import urlparse
from urllib.request import urlopen

import httpx
import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}
API_BASE_URL = "https://api.example.com/v1/"


@app.route("/preview")
def preview():
    url = request.args.get("url")
    # ruleid: bastion.python.ssrf
    response = requests.get(url, timeout=5)
    return response.text


@app.route("/webhook/test", methods=["POST"])
def test_webhook():
    target = request.json["callback"]
    # ruleid: bastion.python.ssrf
    httpx.post(target, json={"ping": True}, timeout=5)
    # ruleid: bastion.python.ssrf
    data = urlopen(f"http://{request.form['host']}/status").read()
    return data


@app.route("/fetch/<path:address>")
async def fetch(address):
    async with httpx.AsyncClient() as client:
        # ruleid: bastion.python.ssrf
        response = await client.get("https://" + address)
    return response.text


@app.route("/user")
def user():
    user_id = request.args.get("id")
    # ok: bastion.python.ssrf
    profile = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
    # ok: bastion.python.ssrf
    search = requests.get("https://api.example.com/search", params={"q": user_id}, timeout=5)
    # ok: bastion.python.ssrf
    detail = requests.get(API_BASE_URL + "users/" + user_id, timeout=5)
    # ok: bastion.python.ssrf
    health = requests.get("https://status.example.com/health", timeout=5)
    return profile.text + search.text + detail.text + health.text


@app.route("/image")
def image():
    url = request.args.get("url")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    # ok: bastion.python.ssrf
    return requests.get(url, timeout=5).content


@app.route("/image2")
def image_checked():
    url = request.args.get("url")
    if not is_allowed_url(url):
        abort(400)
    # ok: bastion.python.ssrf
    return requests.get(url, timeout=5).content


def is_allowed_url(url):
    return urlparse(url).hostname in ALLOWED_HOSTS


@app.route("/share")
def share():
    link = request.args.get("link")
    session = requests.Session()
    # ruleid: bastion.python.ssrf
    session.request(method="GET", url=link, timeout=5)
    # ok: bastion.python.ssrf
    return render_template("share.html", url=link)
