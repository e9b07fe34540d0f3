"""Assertion inspector for the single sign-on debugging page."""

from dataclasses import dataclass

from fastapi import FastAPI, Request
from lxml import etree

app = FastAPI()

ASSERTION_NS = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion"}


@dataclass
class InspectionJob:
    tenant: str
    document: bytes


def inspect_assertion(job: InspectionJob) -> dict:
    """Return the issuer and subject of the posted assertion."""
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    root = etree.fromstring(job.document, parser)
    issuer = root.findtext("saml:Issuer", namespaces=ASSERTION_NS)
    subject = root.findtext("saml:Subject/saml:NameID", namespaces=ASSERTION_NS)
    return {"tenant": job.tenant, "issuer": issuer, "subject": subject}


@app.post("/sso/{tenant}/inspect")
async def inspect(tenant: str, request: Request):
    job = InspectionJob(tenant=tenant, document=await request.body())
    return inspect_assertion(job)
