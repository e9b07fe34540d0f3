# ruff: noqa
# Test target for command-injection.yaml.
import asyncio
import os
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    # ruleid: bastion.python.command-injection
    os.system("ping -c 1 " + host)
    # ruleid: bastion.python.command-injection
    subprocess.run(f"ping -c 1 {host}", shell=True, check=True)
    # ruleid: bastion.python.command-injection
    output = subprocess.check_output("nslookup %s" % host, shell=True)
    # ruleid: bastion.python.command-injection
    subprocess.Popen(["/bin/sh", "-c", "dig " + host])
    # ok: bastion.python.command-injection
    subprocess.run(["ping", "-c", "1", host], check=True)
    # ok: bastion.python.command-injection
    subprocess.run(["ping", "-c", "1", host], shell=False, check=True)
    # ok: bastion.python.command-injection
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True, check=True)
    return output


def archive(directory):
    command = "tar czf /tmp/backup.tgz " + directory
    # ruleid: bastion.python.command-injection
    stream = os.popen(command)
    return stream.read()


def archive_quoted(directory):
    command = "tar czf /tmp/backup.tgz " + shlex.quote(directory)
    # ok: bastion.python.command-injection
    os.system(command)


def disk_usage():
    command = "df -h"
    # ok: bastion.python.command-injection
    os.system(command)
    # ok: bastion.python.command-injection
    subprocess.run("uptime", shell=True, check=True)
    # ok: bastion.python.command-injection
    return subprocess.getoutput("whoami")


async def resize(path):
    # ruleid: bastion.python.command-injection
    process = await asyncio.create_subprocess_shell(f"convert {path} -resize 50% out.png")
    # ok: bastion.python.command-injection
    process = await asyncio.create_subprocess_exec("convert", path, "-resize", "50%", "out.png")
    return await process.wait()


@app.route("/run/<tool>")
def run_tool(tool):
    # ruleid: bastion.python.command-injection.tainted-program
    subprocess.run([tool, "--version"], check=True)
    allowed = {"git": "/usr/bin/git", "hg": "/usr/bin/hg"}
    # ok: bastion.python.command-injection.tainted-program
    subprocess.run([allowed.get("git"), "--version"], check=True)
    # ok: bastion.python.command-injection.tainted-program
    subprocess.run(["/usr/bin/file", tool], check=True)
    return "ok"


def from_prompt():
    program = input("program: ")
    # ruleid: bastion.python.command-injection.tainted-program
    os.execvp(program, [program])
