# ruff: noqa
# Test target for insecure-deserialization.yaml.
import base64
import json
import pickle

import numpy as np
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/session", methods=["POST"])
def restore_session():
    blob = base64.b64decode(request.cookies["session"])
    # ruleid: bastion.python.insecure-deserialization.pickle
    session = pickle.loads(blob)
    # ok: bastion.python.insecure-deserialization.pickle
    preferences = json.loads(request.data)
    return str((session, preferences))


def load_cache(path):
    with open(path, "rb") as handle:
        # ruleid: bastion.python.insecure-deserialization.pickle
        return pickle.load(handle)


def load_array(upload):
    # ruleid: bastion.python.insecure-deserialization.pickle
    unsafe = np.load(upload, allow_pickle=True)
    # ok: bastion.python.insecure-deserialization.pickle
    safe = np.load(upload)
    return unsafe, safe


def save(obj):
    # ok: bastion.python.insecure-deserialization.pickle
    return pickle.dumps(obj)


@app.route("/import", methods=["POST"])
def import_config():
    document = request.get_data()
    # ruleid: bastion.python.insecure-deserialization.yaml
    config = yaml.load(document)
    # ruleid: bastion.python.insecure-deserialization.yaml
    config = yaml.load(document, Loader=yaml.Loader)
    # ruleid: bastion.python.insecure-deserialization.yaml
    config = yaml.unsafe_load(document)
    # ok: bastion.python.insecure-deserialization.yaml
    config = yaml.safe_load(document)
    # ok: bastion.python.insecure-deserialization.yaml
    config = yaml.load(document, Loader=yaml.SafeLoader)
    # ok: bastion.python.insecure-deserialization.yaml
    config = yaml.load(document, yaml.CSafeLoader)
    return str(config)
