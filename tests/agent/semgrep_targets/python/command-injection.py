# ruff: noqa
# Test target for command-injection.yaml: request data reaching a shell or choosing the program.
import asyncio
import os
import shlex
import subprocess
import sys

import paramiko
from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request

app = Flask(__name__)
api = FastAPI()
TOOLS = {"disk": "df -h", "uptime": "uptime"}


@app.route("/ping")
def ping():
    host = request.args.get("host", "127.0.0.1")
    # ruleid: bastion.python.command-injection
    output = subprocess.check_output("ping -c 1 " + host, shell=True)
    return output


@app.route("/ping/safe")
def ping_safe():
    host = request.args.get("host", "127.0.0.1")
    # ok: bastion.python.command-injection
    output = subprocess.check_output(["ping", "-c", "1", host])
    return output


@app.route("/ping/quoted")
def ping_quoted():
    host = request.args.get("host", "127.0.0.1")
    # ok: bastion.python.command-injection
    output = subprocess.run(f"ping -c 1 {shlex.quote(host)}", shell=True, capture_output=True)
    return output.stdout


@app.route("/lookup/<domain>")
def lookup(domain):
    # ruleid: bastion.python.command-injection
    stream = os.popen("nslookup %s" % domain)
    return stream.read()


@app.route("/archive", methods=["POST"])
def archive():
    name = request.form["name"]
    command = "tar czf /tmp/{}.tgz /srv/data".format(name)
    # ruleid: bastion.python.command-injection
    status = os.system(command)
    return jsonify(status=status)


@app.route("/tool")
def run_tool():
    # ok: bastion.python.command-injection
    output = subprocess.check_output(TOOLS.get(request.args.get("tool"), "uptime"), shell=True)
    return output


@app.route("/version")
def version():
    flag = "--version"
    # ok: bastion.python.command-injection
    return subprocess.check_output("git " + flag, shell=True)


@app.route("/exec", methods=["POST"])
def exec_program():
    program = request.json["program"]
    # ruleid: bastion.python.command-injection
    result = subprocess.run([program, "--help"], capture_output=True)
    return result.stdout


@app.route("/split", methods=["POST"])
def split_command():
    # ruleid: bastion.python.command-injection
    result = subprocess.run(shlex.split(request.form["cmd"]), capture_output=True)
    return result.stdout


@app.route("/sh")
def explicit_shell():
    pattern = request.args["pattern"]
    # ruleid: bastion.python.command-injection
    result = subprocess.run(["bash", "-c", "grep " + pattern + " /var/log/app.log"], capture_output=True)
    return result.stdout


@app.route("/convert")
def convert():
    width = request.args.get("width", "100")
    # ok: bastion.python.command-injection
    subprocess.call("convert in.png -resize %dx out.png" % int(width), shell=True)
    return "done"


def django_whois(request):
    domain = request.POST.get("domain", "")
    # ruleid: bastion.python.command-injection
    output = subprocess.getoutput("whois " + domain)
    return HttpResponse(output, content_type="text/plain")


@api.post("/deploy")
async def deploy(branch: str):
    # ruleid: bastion.python.command-injection
    process = await asyncio.create_subprocess_shell(f"./deploy.sh {branch}")
    await process.wait()
    return {"status": process.returncode}


@api.post("/deploy/exec")
async def deploy_exec(branch: str):
    # ok: bastion.python.command-injection
    process = await asyncio.create_subprocess_exec("./deploy.sh", branch)
    await process.wait()
    return {"status": process.returncode}


@app.route("/remote")
def remote():
    client = paramiko.SSHClient()
    client.connect("backup.internal")
    # ruleid: bastion.python.command-injection
    _, stdout, _ = client.exec_command("ls " + request.args["path"])
    return stdout.read()


@app.route("/spawn")
def spawn():
    tool = request.args["tool"]
    # ruleid: bastion.python.command-injection
    os.spawnlp(os.P_WAIT, tool, tool, "--check")
    return "ok"


if __name__ == "__main__":
    # ruleid: bastion.python.command-injection
    os.system("convert " + sys.argv[1] + " out.png")
    # ok: bastion.python.command-injection
    subprocess.run(["convert", sys.argv[1], "out.png"])
