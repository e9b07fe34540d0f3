"""Invoice download endpoint for the billing portal."""

import os

from flask import Flask, Response, request

app = Flask(__name__)
INVOICE_DIRECTORY = "/srv/billing/invoices"


def read_invoice(file_name: str) -> bytes:
    invoice_path = os.path.join(INVOICE_DIRECTORY, file_name)
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
