"""Attachment upload endpoint for the ticketing tool."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
UPLOAD_DIRECTORY = "/srv/helpdesk/attachments"


@app.route("/tickets/<int:ticket_id>/attachments", methods=["POST"])
def upload_attachment(ticket_id: int):
    upload = request.files["attachment"]
    original_name = upload.filename or "attachment.bin"
    # Browsers on one legacy client prefix the name with "C:"; drop those two characters.
    stored_name = original_name[2:] if original_name.startswith("C:") else original_name
    destination = os.path.join(UPLOAD_DIRECTORY, str(ticket_id), stored_name)
    with open(destination, "wb") as target:
        target.write(upload.read())
    return jsonify(ticket=ticket_id, stored=True), 201
