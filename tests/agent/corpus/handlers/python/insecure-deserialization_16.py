"""Restore a saved notebook session in the analysis workbench."""

import base64

import dill
from flask import Flask, abort, jsonify, request

app = Flask(__name__)


class WorkbenchSession:
    """A notebook session rebuilt from an exported snapshot."""

    def __init__(self, snapshot: bytes) -> None:
        self.snapshot = snapshot

    def restore(self) -> dict:
        """Return the variables held in the snapshot."""
        return dill.loads(self.snapshot)


@app.post("/workbench/sessions/restore")
def restore_session():
    exported = request.get_json(force=True).get("snapshot", "")
    if not exported:
        abort(400, description="snapshot is required")
    workbench = WorkbenchSession(base64.b64decode(exported))
    variables = workbench.restore()
    return jsonify({"restored": sorted(str(name) for name in variables)})
