"""Evidence attachment upload with de-duplication."""

import hashlib
import os

from flask import Flask, abort, jsonify, request

from bastion_local.evidence import find_attachment, store_attachment

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


class AttachmentFingerprint:
    """Content fingerprint used to spot the same screenshot uploaded twice."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def hexdigest(self) -> str:
        return hashlib.sha1(self.content, usedforsecurity=False).hexdigest()


@app.post("/findings/<int:finding_id>/evidence")
def upload_evidence(finding_id: int):
    upload = request.files.get("evidence")
    if upload is None:
        abort(400)
    content = upload.read()
    fingerprint = AttachmentFingerprint(content).hexdigest()
    existing = find_attachment(finding_id=finding_id, fingerprint=fingerprint)
    if existing is None:
        existing = store_attachment(finding_id=finding_id, fingerprint=fingerprint, content=content)
    return jsonify({"attachment_id": existing.id, "fingerprint": fingerprint})
