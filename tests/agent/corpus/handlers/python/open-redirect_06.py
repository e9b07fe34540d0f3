"""Checkout API: sends the shopper on to the payment result page."""

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from shop.payments import confirm_payment

app = FastAPI()


class PaymentResult(BaseModel):
    payment_id: str
    result_base: str
    order_reference: str


@app.post("/checkout/complete")
def complete_checkout(result: PaymentResult):
    status = confirm_payment(result.payment_id)
    destination = "/".join([result.result_base.rstrip("/"), "orders", result.order_reference, status])
    return RedirectResponse(destination, status_code=303)
