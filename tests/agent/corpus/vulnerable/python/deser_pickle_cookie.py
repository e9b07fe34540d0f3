import base64
import pickle

from flask import Flask, make_response, request

app = Flask(__name__)


def load_cart(raw_cookie):
    if not raw_cookie:
        return {"items": []}
    data = base64.urlsafe_b64decode(raw_cookie.encode())
    return pickle.loads(data)


def dump_cart(cart):
    return base64.urlsafe_b64encode(pickle.dumps(cart)).decode()


@app.post("/cart/add")
def add_to_cart():
    cart = load_cart(request.cookies.get("cart"))
    cart["items"].append({"sku": request.form["sku"], "qty": int(request.form.get("qty", 1))})
    response = make_response({"count": len(cart["items"])})
    response.set_cookie("cart", dump_cart(cart), httponly=True, secure=True, samesite="Lax")
    return response
