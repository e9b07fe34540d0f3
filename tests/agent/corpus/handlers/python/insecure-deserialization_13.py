"""Chunked upload of a scoring model."""

import pickle

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

MAX_CHUNKS = 16


@app.post("/scoring/models")
def upload_model():
    parts = [chunk.read() for chunk in request.files.getlist("chunk")]
    if not parts or len(parts) > MAX_CHUNKS:
        abort(400, description="between 1 and 16 chunks are required")
    assembled = b"".join(parts)
    model = pickle.loads(assembled)
    name = getattr(model, "name", "unnamed")
    features = getattr(model, "feature_names", [])
    return jsonify({"name": name, "features": len(features)}), 201


@app.get("/scoring/models/limits")
def model_limits():
    return jsonify({"max_chunks": MAX_CHUNKS})
