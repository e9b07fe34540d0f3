"""Invoice download endpoint for the billing portal."""

import os

from flask import Flask, Response, abort, request

app = Flask(__name__)
INVOICE_DIRECTORY = os.path.realpath("/srv/billing/invoices")


def read_invoice(file_name: str) -> bytes:
    safe_name = os.path.basename(file_name)
    invoice_path = os.path.realpath(os.path.join(INVOICE_DIRECTORY, safe_name))
    if os.path.commonpath([invoice_path, INVOICE_DIRECTORY]) != INVOICE_DIRECTORY:
        abort(404)
    with open(invoice_path, "rb") as invoice_file:
        return invoice_file.read()


@app.route("/invoices/download")
def download_invoice():
    file_name = request.args.get("file", "")
    try:
        content = read_invoice(file_name)
    except FileNotFoundError:
        return Response("not found", status=404, mimetype="text/plain")
    return Response(content, mimetype="application/pdf")
