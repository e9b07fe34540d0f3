# ruff: noqa
# Test target for hardcoded-secret.yaml. Every credential below is invented.
import os

import psycopg2
import requests

# ruleid: bastion.python.hardcoded-secret
SECRET_KEY = "django-insecure-9x!k2m@q7#pz4w"
# ruleid: bastion.python.hardcoded-secret
DB_PASSWORD = "Winter2024!"
# ok: bastion.python.hardcoded-secret
DB_PASSWORD_ENV = "DB_PASSWORD"
# ok: bastion.python.hardcoded-secret
API_KEY = os.environ["API_KEY"]
# ok: bastion.python.hardcoded-secret
PASSWORD_FIELD = "password"
# ok: bastion.python.hardcoded-secret
password = ""
# ok: bastion.python.hardcoded-secret
token = None


def connect():
    # ruleid: bastion.python.hardcoded-secret
    return psycopg2.connect(host="db.internal", user="app", password="s3cr3t-p4ss")


def connect_with_options():
    options = {
        "host": "db.internal",
        # ruleid: bastion.python.hardcoded-secret
        "password": "Spring2024!",
    }
    return psycopg2.connect(**options)


def connect_from_environment():
    # ok: bastion.python.hardcoded-secret
    return psycopg2.connect(host="db.internal", user="app", password=os.environ["DB_PASSWORD"])


def call_api(path):
    # ruleid: bastion.python.hardcoded-secret
    headers = {"api_key": "4f9a1c2e7b3d8e6f0a5b"}
    return requests.get("https://api.example.com" + path, headers=headers, timeout=5)


def check_admin(password):
    # ruleid: bastion.python.hardcoded-secret
    return password == "letmein123"


class Settings:
    def __init__(self):
        # ruleid: bastion.python.hardcoded-secret
        self.client_secret = "b7e1d0c9a8f64e2b"
        # ok: bastion.python.hardcoded-secret
        self.client_secret_name = "payments/client-secret"
        # ok: bastion.python.hardcoded-secret
        self.password = os.getenv("APP_PASSWORD")


def template_context():
    # ok: bastion.python.hardcoded-secret
    return {"password": "{{ password }}", "token": "<your token>"}


# ruleid: bastion.python.hardcoded-secret.known-format
AWS_ACCESS_KEY_ID = "AKIAZ7Q3XK2M4N6P8R1T"
# ok: bastion.python.hardcoded-secret.known-format
DOCS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
# ruleid: bastion.python.hardcoded-secret.known-format
DATABASE_URL = "postgres://billing:Tr0ub4dor3@db.internal:5432/billing"
# ok: bastion.python.hardcoded-secret.known-format
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/app"
# ok: bastion.python.hardcoded-secret.known-format
TEMPLATE_URL = "postgres://{user}:{password}@db.internal/app"
# ruleid: bastion.python.hardcoded-secret.known-format
GITHUB = "ghp_Q3m9ZtR4vB7nK2xW8pL5cJ1hF6dS0aY4eUoT"


def connect_dsn():
    # ruleid: bastion.python.hardcoded-secret.known-format
    return psycopg2.connect("host=db.internal user=app password=Sup3rS3cret dbname=app")


def connect_dsn_template(password):
    # ok: bastion.python.hardcoded-secret.known-format
    return psycopg2.connect("host=db.internal user=app password=%s dbname=app" % password)
