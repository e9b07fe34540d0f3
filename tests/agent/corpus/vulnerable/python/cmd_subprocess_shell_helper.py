import logging
import subprocess
from pathlib import Path

from fastapi import FastAPI, UploadFile

logger = logging.getLogger(__name__)
app = FastAPI()
UPLOAD_DIR = Path("/srv/media/uploads")
THUMBNAIL_DIR = Path("/srv/media/thumbs")


def resize(source, target, size="200x200"):
    completed = subprocess.run(f"convert {source} -resize {size} {target}", shell=True, capture_output=True, text=True, timeout=60)
    if completed.returncode != 0:
        logger.warning("convert failed for %s: %s", source, completed.stderr)
    return completed.returncode == 0


@app.post("/images/thumbnail")
async def make_thumbnail(image: UploadFile):
    source = UPLOAD_DIR / Path(image.filename).name
    source.write_bytes(await image.read())
    target = THUMBNAIL_DIR / source.name
    return {"ok": resize(source, target), "thumbnail": target.name}
