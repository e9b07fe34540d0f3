// Test target for command-injection.yaml.
const express = require("express");
const { exec, execFile, spawn } = require("node:child_process");
const cp = require("child_process");

const app = express();
const TOOLS = { git: "/usr/bin/git", hg: "/usr/bin/hg" };

app.get("/ping", (req, res) => {
  const host = req.query.host;
  // ruleid: bastion.javascript.command-injection
  exec("ping -c 1 " + host, (err, stdout) => res.send(stdout));
});

app.get("/lookup", (req, res) => {
  // ruleid: bastion.javascript.command-injection
  const out = cp.execSync(`nslookup ${req.query.domain}`);
  // ok: bastion.javascript.command-injection
  execFile("nslookup", [req.query.domain], (err, stdout) => res.send(stdout + out));
});

app.get("/dig", (req, res) => {
  // ruleid: bastion.javascript.command-injection
  spawn("sh", ["-c", "dig " + req.query.name]);
  // ruleid: bastion.javascript.command-injection, bastion.javascript.command-injection.tainted-program
  spawn(req.query.cmd, { shell: true });
  // ok: bastion.javascript.command-injection
  spawn("dig", [req.query.name]);
  res.end();
});

function archive(directory) {
  const command = "tar czf /tmp/backup.tgz " + directory;
  // ruleid: bastion.javascript.command-injection
  return cp.execSync(command);
}

function uptime() {
  const command = "uptime";
  // ok: bastion.javascript.command-injection
  exec(command);
  // ok: bastion.javascript.command-injection
  return cp.execSync("df -h");
}

function matchAll(pattern, text) {
  // ok: bastion.javascript.command-injection
  return new RegExp(pattern).exec(text);
}

app.get("/run/:tool", (req, res) => {
  // ruleid: bastion.javascript.command-injection.tainted-program
  spawn(req.params.tool, ["--version"]);
  // ok: bastion.javascript.command-injection.tainted-program
  spawn(TOOLS[req.params.tool], ["--version"]);
  // ok: bastion.javascript.command-injection.tainted-program
  execFile("/usr/bin/file", [req.params.tool]);
  res.end();
});
