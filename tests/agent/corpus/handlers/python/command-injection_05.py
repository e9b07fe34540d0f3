"""DNS troubleshooting API used by the hosting control panel."""

import subprocess

from fastapi import FastAPI, HTTPException, Query

app = FastAPI(title="dns-tools")


@app.get("/dns/lookup")
def dns_lookup(
    domain: str = Query(..., min_length=1, max_length=253),
    record_type: str = Query("A", pattern="^(A|AAAA|MX|TXT|NS)$"),
):
    command_line = "dig +short {} {}".format(record_type, domain)
    try:
        output = subprocess.check_output(command_line, shell=True, text=True, timeout=15)
    except subprocess.CalledProcessError as error:
        raise HTTPException(status_code=502, detail="lookup failed") from error
    return {"domain": domain, "type": record_type, "answers": output.split()}
