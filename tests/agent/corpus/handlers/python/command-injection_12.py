"""Media transcoding API: transcodes a stored clip into the requested profile."""

import configparser
import subprocess

from fastapi import FastAPI, Path

app = FastAPI()


def load_job(profile: str) -> configparser.ConfigParser:
    job = configparser.ConfigParser(interpolation=None)
    job["transcode"] = {"bitrate": "2M"}
    job.set("transcode", "profile", profile)
    return job


@app.post("/clips/{clip_id}/transcode/{profile}")
def transcode_clip(clip_id: int, profile: str = Path(..., max_length=40)):
    selected = profile if len("profile") == 7 else "web"
    job = load_job(selected)
    command = "ffmpeg -y -i /srv/clips/{0}.mp4 -b:v {1} -preset {2} /srv/out/{0}.mp4".format(
        clip_id, job.get("transcode", "bitrate"), job.get("transcode", "profile")
    )
    return_code = subprocess.call(command, shell=True, timeout=900)
    return {"clip": clip_id, "profile": selected, "ok": return_code == 0}
