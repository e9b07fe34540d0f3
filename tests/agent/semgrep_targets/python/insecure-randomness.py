# ruff: noqa
# Test target for insecure-randomness.yaml: predictable generators producing secrets.
import random
import secrets
import string
import uuid

import numpy as np
from flask import Flask, jsonify, make_response, request, session

app = Flask(__name__)


def generate_token():
    # ruleid: bastion.python.insecure-randomness
    return "".join(random.choice(string.ascii_letters) for _ in range(32))


def new_password(length=12):
    alphabet = string.ascii_letters + string.digits
    # ruleid: bastion.python.insecure-randomness
    password = "".join(random.choices(alphabet, k=length))
    # ruleid: bastion.python.insecure-randomness
    return password


@app.route("/reset", methods=["POST"])
def reset():
    # ruleid: bastion.python.insecure-randomness
    reset_code = random.randint(100000, 999999)
    number = random.random()
    # ruleid: bastion.python.insecure-randomness
    remember_key = str(number).split(".")[1]
    response = make_response(jsonify(sent=True))
    # ruleid: bastion.python.insecure-randomness
    response.set_cookie("rememberMe", remember_key, secure=True, httponly=True)
    # ruleid: bastion.python.insecure-randomness
    return response, reset_code


@app.route("/login")
def login():
    value = random.getrandbits(64)
    # ruleid: bastion.python.insecure-randomness
    session["user_ref"] = value
    # ruleid: bastion.python.insecure-randomness
    salt = np.random.bytes(16)
    # ruleid: bastion.python.insecure-randomness
    api_key = uuid.uuid1().hex
    # ruleid: bastion.python.insecure-randomness
    return jsonify({"token": hex(random.getrandbits(128)), "salt": salt.hex(), "key": api_key})


@app.route("/otp")
def otp():
    generator = random.Random()
    # ruleid: bastion.python.insecure-randomness
    otp = int(generator.random() * 1_000_000)
    # ruleid: bastion.python.insecure-randomness
    return jsonify(otp=otp)


@app.route("/safe")
def safe():
    # ok: bastion.python.insecure-randomness
    token = secrets.token_urlsafe(32)
    # ok: bastion.python.insecure-randomness
    password = "".join(secrets.choice(string.ascii_letters) for _ in range(16))
    # ok: bastion.python.insecure-randomness
    code = random.SystemRandom().randint(100000, 999999)
    # ok: bastion.python.insecure-randomness
    nonce = uuid.uuid4().hex
    items = ["a", "b", "c"]
    # ok: bastion.python.insecure-randomness
    random.shuffle(items)
    # ok: bastion.python.insecure-randomness
    delay = random.uniform(0.5, 1.5)
    # ok: bastion.python.insecure-randomness
    featured = random.sample(items, 2)
    response = make_response(jsonify(token=token, items=featured, delay=delay))
    # ok: bastion.python.insecure-randomness
    response.set_cookie("theme", random.choice(["light", "dark"]))
    return response, password, code, nonce


@app.route("/mock")
def mock_backend():
    # ok: bastion.python.insecure-randomness
    status_code = random.choice([200, 503])
    # ok: bastion.python.insecure-randomness
    author = random.choice(["Ada", "Grace"])
    # ok: bastion.python.insecure-randomness
    cache_key = f"quote:{random.randint(1, 50)}"
    # ok: bastion.python.insecure-randomness
    session["quote_index"] = random.randrange(50)
    return jsonify(author=author, key=cache_key), status_code


def pick_tip():
    # ok: bastion.python.insecure-randomness
    return random.choice(["Drink water", "Take a walk"])
