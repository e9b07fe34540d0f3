"""Attachment download route for the ticketing system."""

import os

from flask import Flask, abort, send_from_directory
from flask_login import current_user, login_required

from tickets.models import Ticket

app = Flask(__name__)
app.config["ATTACHMENT_ROOT"] = os.environ.get("ATTACHMENT_ROOT", "/srv/tickets/attachments")


def attachment_directory(ticket: Ticket) -> str:
    return os.path.join(app.config["ATTACHMENT_ROOT"], str(ticket.id))


@app.get("/tickets/<int:ticket_id>/attachments/<path:filename>")
@login_required
def download_attachment(ticket_id: int, filename: str):
    ticket = Ticket.query.get_or_404(ticket_id)
    if ticket.requester_id != current_user.id and not current_user.is_agent:
        abort(403)
    directory = attachment_directory(ticket)
    return send_from_directory(directory, filename, as_attachment=True)
