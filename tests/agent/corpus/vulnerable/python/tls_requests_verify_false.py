import logging

import requests

logger = logging.getLogger(__name__)

INVENTORY_URL = "https://cmdb.corp.internal:8443/api/v2/hosts"


def fetch_hosts(session_token, page=1):
    headers = {"Authorization": f"Bearer {session_token}"}
    response = requests.get(INVENTORY_URL, params={"page": page}, headers=headers, verify=False, timeout=15)
    response.raise_for_status()
    return response.json()


def all_hosts(session_token):
    hosts, page = [], 1
    while True:
        batch = fetch_hosts(session_token, page)
        hosts.extend(batch["results"])
        if not batch.get("next"):
            logger.info("fetched %d hosts", len(hosts))
            return hosts
        page += 1
