import logging
import os
from pathlib import Path

import boto3
from botocore.config import Config

logger = logging.getLogger(__name__)

BUCKET = os.environ.get("BACKUP_BUCKET", "acme-nightly-backups")
RETRY_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


def s3_client():
    return boto3.client(
        "s3",
        region_name=os.environ.get("AWS_REGION", "eu-west-1"),
        aws_access_key_id=os.environ["BACKUP_AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["BACKUP_AWS_SECRET_ACCESS_KEY"],
        config=RETRY_CONFIG,
    )


def upload_backup(archive: Path):
    key = f"db/{archive.name}"
    s3_client().upload_file(str(archive), BUCKET, key)
    logger.info("uploaded %s to s3://%s/%s", archive, BUCKET, key)
    return key
