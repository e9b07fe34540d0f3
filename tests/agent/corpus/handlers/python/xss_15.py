"""Order confirmation page for the bakery web shop."""

from flask import Flask, render_template, request
from markupsafe import Markup

from shop.orders import latest_order_for

app = Flask(__name__)


def pickup_note(name: str) -> str:
    first_name = name.split(" ")[0]
    return f"<strong>{first_name}</strong>, your order is ready for pickup tomorrow."


def banner_html(note: str) -> Markup:
    return Markup('<div class="banner banner--success">' + note + "</div>")


@app.get("/orders/confirmation")
def order_confirmation():
    customer_name = request.args.get("name", "friend")
    note = pickup_note(customer_name)
    banner = banner_html(note)
    order = latest_order_for(request.cookies.get("cart_id", ""))
    return render_template("orders/confirmation.html", banner=banner, order=order)
