import yaml
from fastapi import FastAPI, HTTPException, UploadFile
from pydantic import BaseModel

app = FastAPI()


class PipelineConfig(BaseModel):
    name: str
    stages: list[str]
    timeout_minutes: int = 30


@app.post("/pipelines/validate")
async def validate_pipeline(config_file: UploadFile):
    text = (await config_file.read()).decode("utf-8")
    document = yaml.load(text, Loader=yaml.Loader)
    if not isinstance(document, dict):
        raise HTTPException(status_code=422, detail="expected a mapping at the top level")
    config = PipelineConfig(**document)
    return {"valid": True, "stages": len(config.stages)}
