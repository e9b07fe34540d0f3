// Test target for command-injection.yaml: Express and Koa handlers running programs.
const express = require("express");
const child_process = require("child_process");
const { exec, execFile, spawn } = require("child_process");
const shellQuote = require("shell-quote");

const app = express();
const TOOLS = { ping: "/bin/ping", dig: "/usr/bin/dig" };

app.get("/ping", (req, res) => {
  const host = req.query.host;
  // ruleid: bastion.javascript.command-injection
  exec("ping -c 1 " + host, (error, stdout) => res.send(stdout));
  // ok: bastion.javascript.command-injection
  execFile("ping", ["-c", "1", host], (error, stdout) => res.send(stdout));
  // ok: bastion.javascript.command-injection
  exec("ping -c 1 " + shellQuote.quote([host]), (error, stdout) => res.send(stdout));
});

app.post("/convert", (req, res) => {
  const { file, program } = req.body;
  // ruleid: bastion.javascript.command-injection
  child_process.execSync(`convert ${file} out.png`);
  // ruleid: bastion.javascript.command-injection
  spawn("sh", ["-c", `tar czf backup.tgz ${file}`]);
  // ruleid: bastion.javascript.command-injection
  spawn(`gzip ${file}`, { shell: true });
  // ruleid: bastion.javascript.command-injection
  spawn(program, ["--version"]);
  // ok: bastion.javascript.command-injection
  spawn(TOOLS.ping, ["-c", "1", file]);
  res.end();
});

app.get("/status", (req, res) => {
  const service = "nginx";
  // ok: bastion.javascript.command-injection
  exec(`systemctl status ${service}`, (error, stdout) => res.send(stdout));
  const lines = Number(req.query.lines);
  // ok: bastion.javascript.command-injection
  exec(`tail -n ${lines} /var/log/app.log`, (error, stdout) => res.send(stdout));
  // ruleid: bastion.javascript.command-injection
  exec("git log " + req.get("X-Branch"));
});

// A command-line tool: the arguments are the user's.
// ruleid: bastion.javascript.command-injection
child_process.exec("grep -r " + process.argv[2] + " .");
