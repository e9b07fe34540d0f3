# ruff: noqa
# Test target for weak-hash.yaml: MD5 and SHA-1 in security roles.
import hashlib
import hmac
from hashlib import md5

from Crypto.Hash import MD5, SHA1
from cryptography.hazmat.primitives import hashes
from flask import Flask, make_response, request

app = Flask(__name__)
avatar_cache = {}


@app.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    # ruleid: bastion.python.weak-hash
    stored = hashlib.md5(password.encode()).hexdigest()
    # ruleid: bastion.python.weak-hash
    legacy = hashlib.sha1(password.encode("utf-8")).hexdigest()
    # ruleid: bastion.python.weak-hash
    digest = hashlib.new("md5", password.encode()).hexdigest()
    algorithm = "sha1"
    # ruleid: bastion.python.weak-hash
    other = hashlib.new(algorithm)
    return stored + legacy + digest + str(other)


def make_reset_token(user_id, secret):
    # ruleid: bastion.python.weak-hash
    return md5(f"{user_id}:{secret}".encode()).hexdigest()


def sign(payload, key):
    # ruleid: bastion.python.weak-hash
    signature = hmac.new(key, payload, hashlib.md5).hexdigest()
    # ruleid: bastion.python.weak-hash
    pycrypto = MD5.new(payload).hexdigest()
    # ruleid: bastion.python.weak-hash
    pycrypto_sha = SHA1.new(payload).hexdigest()
    # ruleid: bastion.python.weak-hash
    modern = hashes.Hash(hashes.SHA1())
    return signature, pycrypto, pycrypto_sha, modern


@app.route("/hash")
def hash_value():
    value = request.args.get("value", "")
    # ruleid: bastion.python.weak-hash
    hasher = hashlib.new("sha1")
    hasher.update(value.encode())
    # ruleid: bastion.python.weak-hash
    return hashlib.md5(value.encode()).hexdigest() + hasher.hexdigest()


@app.route("/file/<name>")
def serve(name):
    body = open("/srv/static/" + "logo.png", "rb").read()
    response = make_response(body)
    # ok: bastion.python.weak-hash
    response.headers["ETag"] = hashlib.md5(body).hexdigest()
    # ok: bastion.python.weak-hash
    cache_key = hashlib.sha1(name.encode()).hexdigest()
    # ok: bastion.python.weak-hash
    checksum = hashlib.md5(body, usedforsecurity=False).hexdigest()
    return response


@app.route("/picture")
def profile_picture():
    url = request.args["url"]
    # ok: bastion.python.weak-hash
    key = hashlib.md5(url.encode()).hexdigest()
    cached = avatar_cache.get(key)
    response = make_response(cached or b"")
    # ok: bastion.python.weak-hash
    digest = hashlib.sha1(response.get_data()).hexdigest()
    response.set_etag(digest)
    # ruleid: bastion.python.weak-hash
    response.headers["X-Signature"] = hashlib.md5(b"secret" + response.get_data()).hexdigest()
    return response


def etag_for(content):
    # ok: bastion.python.weak-hash
    return hashlib.md5(content).hexdigest()


@app.route("/store", methods=["POST"])
def store():
    password = request.form["password"]
    # ok: bastion.python.weak-hash
    strong = hashlib.sha256(password.encode()).hexdigest()
    # ok: bastion.python.weak-hash
    derived = hashlib.scrypt(password.encode(), salt=b"pepper", n=2**14, r=8, p=1)
    # ok: bastion.python.weak-hash
    named = hashlib.new("sha512", password.encode()).hexdigest()
    # ok: bastion.python.weak-hash
    other = hashlib.sha3_256(password.encode()).hexdigest()
    return strong + derived.hex() + named + other
