"""Plugin upload endpoint for the workflow automation service."""

import types

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


class PluginLoader:
    """Keep the loaded workflow plugins by name."""

    def __init__(self) -> None:
        self.plugins: dict[str, types.ModuleType] = {}

    def module_name(self, name: str) -> str:
        return "workflow_plugin_" + name.replace("-", "_")

    def load(self, name: str, source: str) -> types.ModuleType:
        module = types.ModuleType(self.module_name(name))
        code_object = compile(source, f"<plugin {name}>", "exec")
        exec(code_object, module.__dict__)
        self.plugins[name] = module
        return module


loader = PluginLoader()


@app.post("/plugins/<name>")
def upload_plugin(name: str):
    upload = request.files.get("plugin")
    if upload is None:
        abort(400, description="attach the plugin source as 'plugin'")
    source = upload.read().decode("utf-8")
    module = loader.load(name, source)
    hooks = [attribute for attribute in dir(module) if attribute.startswith("on_")]
    return jsonify({"plugin": name, "hooks": hooks})
