# ruff: noqa
# Test target for insecure-deserialization.yaml: request data handed to object-building loaders.
import base64
import hashlib
import hmac
import json
import marshal
import pickle
import shelve

import dill
import jsonpickle
import numpy as np
import pandas as pd
import torch
import yaml
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/restore", methods=["POST"])
def restore():
    blob = base64.b64decode(request.form["state"])
    # ruleid: bastion.python.insecure-deserialization
    state = pickle.loads(blob)
    return str(state)


@app.route("/upload", methods=["POST"])
def upload():
    handle = request.files["model"]
    # ruleid: bastion.python.insecure-deserialization
    model = pickle.load(handle)
    # ruleid: bastion.python.insecure-deserialization
    frame = pd.read_pickle(request.files["frame"])
    # ruleid: bastion.python.insecure-deserialization
    weights = torch.load(request.files["weights"])
    # ruleid: bastion.python.insecure-deserialization
    array = np.load(request.files["array"], allow_pickle=True)
    return str((model, frame, weights, array))


@app.route("/cookie")
def from_cookie():
    raw = request.cookies.get("prefs")
    # ruleid: bastion.python.insecure-deserialization
    prefs = jsonpickle.decode(raw)
    # ruleid: bastion.python.insecure-deserialization
    code = marshal.loads(bytes.fromhex(raw))
    # ruleid: bastion.python.insecure-deserialization
    other = dill.loads(base64.b64decode(raw))
    return str((prefs, code, other))


@app.route("/config", methods=["POST"])
def config():
    text = request.get_data(as_text=True)
    # ruleid: bastion.python.insecure-deserialization
    unsafe = yaml.load(text, Loader=yaml.Loader)
    # ruleid: bastion.python.insecure-deserialization
    full = yaml.full_load(text)
    # ruleid: bastion.python.insecure-deserialization
    everything = yaml.unsafe_load(text)
    # ruleid: bastion.python.insecure-deserialization
    old_style = yaml.load(text)
    # ruleid: bastion.python.insecure-deserialization
    documents = list(yaml.load_all(text, Loader=yaml.UnsafeLoader))
    # ok: bastion.python.insecure-deserialization
    safe = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: bastion.python.insecure-deserialization
    fast = yaml.load(text, Loader=yaml.CSafeLoader)
    # ok: bastion.python.insecure-deserialization
    plain = yaml.safe_load(text)
    # ok: bastion.python.insecure-deserialization
    data = json.loads(text)
    return str((unsafe, full, everything, old_style, documents, safe, fast, plain, data))


@app.route("/cart/<name>")
def cart(name):
    # ruleid: bastion.python.insecure-deserialization
    with shelve.open(name) as carts:
        return str(dict(carts))


@api.post("/state")
async def state_api(payload: str):
    # ruleid: bastion.python.insecure-deserialization
    return pickle.loads(base64.b64decode(payload))


@app.route("/safe-models", methods=["POST"])
def safe_models():
    # ok: bastion.python.insecure-deserialization
    weights = torch.load(request.files["weights"], weights_only=True)
    # ok: bastion.python.insecure-deserialization
    array = np.load(request.files["array"])
    # ok: bastion.python.insecure-deserialization
    defaults = pickle.loads(open("defaults.pkl", "rb").read())
    with open("/srv/cache/state.pkl", "rb") as cached:
        # ok: bastion.python.insecure-deserialization
        cache = pickle.load(cached)
    return str((weights, array, defaults, cache))


@app.route("/signed", methods=["POST"])
def signed_state():
    raw = base64.b64decode(request.form["state"])
    signature, payload = raw[:32], raw[32:]
    expected = hmac.new(b"server-key", payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        return "tampered", 400
    # ok: bastion.python.insecure-deserialization
    return str(pickle.loads(payload))
