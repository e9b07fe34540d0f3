from flask import Flask, make_response, request
from itsdangerous import BadData, URLSafeSerializer

app = Flask(__name__)
app.config.from_prefixed_env()


def _serializer():
    return URLSafeSerializer(app.config["SECRET_KEY"], salt="cart")


def load_cart(raw_cookie):
    if not raw_cookie:
        return {"items": []}
    try:
        return _serializer().loads(raw_cookie)
    except BadData:
        return {"items": []}


@app.post("/cart/add")
def add_to_cart():
    cart = load_cart(request.cookies.get("cart"))
    cart["items"].append({"sku": request.form["sku"], "qty": int(request.form.get("qty", 1))})
    response = make_response({"count": len(cart["items"])})
    response.set_cookie("cart", _serializer().dumps(cart), httponly=True, secure=True, samesite="Lax")
    return response
