# ruff: noqa
# Test target for insecure-tls.yaml.
import ssl
import urllib.request

import aiohttp
import httpx
import requests
import urllib3


def fetch_invoice(url):
    # ruleid: bastion.python.insecure-tls.verify-disabled
    response = requests.get(url, verify=False, timeout=10)
    # ok: bastion.python.insecure-tls.verify-disabled
    checked = requests.get(url, verify=True, timeout=10)
    # ok: bastion.python.insecure-tls.verify-disabled
    private = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)
    # ok: bastion.python.insecure-tls.verify-disabled
    default = requests.get(url, timeout=10)
    return response, checked, private, default


def make_clients():
    session = requests.Session()
    # ruleid: bastion.python.insecure-tls.verify-disabled
    session.verify = False
    # ruleid: bastion.python.insecure-tls.verify-disabled
    client = httpx.Client(verify=False)
    # ruleid: bastion.python.insecure-tls.verify-disabled
    connector = aiohttp.TCPConnector(ssl=False)
    # ok: bastion.python.insecure-tls.verify-disabled
    secure_client = httpx.Client(verify=ssl.create_default_context())
    return session, client, connector, secure_client


def legacy_context(url):
    # ruleid: bastion.python.insecure-tls.unverified-context
    context = ssl._create_unverified_context()
    return urllib.request.urlopen(url, context=context)


def relaxed_context():
    context = ssl.create_default_context()
    # ruleid: bastion.python.insecure-tls.unverified-context
    context.check_hostname = False
    # ruleid: bastion.python.insecure-tls.unverified-context
    context.verify_mode = ssl.CERT_NONE
    return context


def pool():
    # ruleid: bastion.python.insecure-tls.unverified-context
    return urllib3.PoolManager(cert_reqs="CERT_NONE")


def strict_context():
    context = ssl.create_default_context()
    # ok: bastion.python.insecure-tls.unverified-context
    context.verify_mode = ssl.CERT_REQUIRED
    # ok: bastion.python.insecure-tls.unverified-context
    context.check_hostname = True
    context.load_verify_locations(cafile="/etc/ssl/certs/internal-ca.pem")
    # ok: bastion.python.insecure-tls.unverified-context
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
