"""Network diagnostics endpoint for the support console."""

import asyncio
from asyncio.subprocess import PIPE, STDOUT

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="diagnostics")
TRACE_TIMEOUT_SECONDS = 20


class TraceRequest(BaseModel):
    target: str
    max_hops: int = 15


def build_trace_command(options: dict) -> str:
    hops = int(options["hops"])
    return "traceroute -m " + str(hops) + " -w 2 " + options["target"]


async def run_shell(command: str) -> str:
    process = await asyncio.create_subprocess_shell(command, stdout=PIPE, stderr=STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=TRACE_TIMEOUT_SECONDS)
    return output.decode(errors="replace")


@app.post("/diagnostics/trace")
async def trace_route(trace: TraceRequest):
    if not 1 <= trace.max_hops <= 30:
        raise HTTPException(status_code=422, detail="max_hops must be between 1 and 30")
    options = {"target": trace.target, "hops": trace.max_hops}
    command = build_trace_command(options)
    output = await run_shell(command)
    return {"target": trace.target, "output": output.splitlines()}
