"""Starlette endpoint computing a fee with the formula set by the operator."""

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FEE_FORMULA = os.environ.get("FEE_FORMULA", "amount * 0.029 + 30")


async def fee(request: Request) -> JSONResponse:
    amount = int(request.query_params.get("amount", "0"))
    proposed_formula = request.query_params.get("formula", "")
    formula = FEE_FORMULA
    value = eval(formula, {"__builtins__": {}}, {"amount": amount})
    return JSONResponse({"amount": amount, "fee": value, "proposal_logged": bool(proposed_formula)})


app = Starlette(routes=[Route("/fees", fee)])
