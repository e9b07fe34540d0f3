"""Report plugin endpoint: accepts a snippet describing a report column."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class ColumnPlugin(BaseModel):
    name: str
    body_lines: list[str]


@app.post("/reports/columns")
def register_column(plugin: ColumnPlugin):
    header = f"def column_{len(plugin.name)}(record):"
    indented = ["    " + line for line in plugin.body_lines]
    source = "\n".join([header, *indented])
    code_object = compile(source, "<report-column>", "exec")
    namespace: dict = {}
    exec(code_object, namespace)
    return {"registered": plugin.name, "functions": [key for key in namespace if key.startswith("column_")]}
