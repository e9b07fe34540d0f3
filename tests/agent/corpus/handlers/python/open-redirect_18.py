"""Payment completion handler of the checkout service (Starlette)."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from checkout.payments import mark_paid


def completion_location(params: dict) -> str:
    base = params["merchant_return"]
    return base + "?order=" + params["order_id"] + "&status=paid"


async def payment_complete(request: Request) -> Response:
    form = await request.form()
    order_id = str(int(form["order_id"]))
    await mark_paid(order_id, form["payment_reference"])
    params = {"order_id": order_id, "merchant_return": str(form.get("merchant_return", "/orders"))}
    location = completion_location(params)
    return Response(status_code=303, headers={"Location": location})


app = Starlette(routes=[Route("/payments/complete", payment_complete, methods=["POST"])])
