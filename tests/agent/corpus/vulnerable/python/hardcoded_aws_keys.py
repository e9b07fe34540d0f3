import logging
from pathlib import Path

import boto3
from botocore.config import Config

logger = logging.getLogger(__name__)

BUCKET = "acme-nightly-backups"
RETRY_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


def s3_client():
    return boto3.client("s3", region_name="eu-west-1", config=RETRY_CONFIG, aws_access_key_id="AKIA13KLQ0J37U36J4XH", aws_secret_access_key="z1GL5mvTiit6bPkvKMZ68Mq+tXU+3sao2X82AwLd")


def upload_backup(archive: Path):
    key = f"db/{archive.name}"
    s3_client().upload_file(str(archive), BUCKET, key)
    logger.info("uploaded %s to s3://%s/%s", archive, BUCKET, key)
    return key
