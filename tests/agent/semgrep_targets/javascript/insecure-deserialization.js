// Test target for insecure-deserialization.yaml: Express handlers loading cookies and bodies.
const express = require("express");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const funcster = require("funcster");

const app = express();

app.get("/profile", (req, res) => {
  const raw = Buffer.from(req.cookies.profile, "base64").toString();
  // ruleid: bastion.javascript.insecure-deserialization
  const profile = serialize.unserialize(raw);
  // ok: bastion.javascript.insecure-deserialization
  const plain = JSON.parse(raw);
  res.json({ profile, plain });
});

app.post("/config", (req, res) => {
  // ruleid: bastion.javascript.insecure-deserialization
  const config = yaml.load(req.body.config, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ok: bastion.javascript.insecure-deserialization
  const safe = yaml.load(req.body.config);
  // ruleid: bastion.javascript.insecure-deserialization
  const tasks = funcster.deepDeserialize(req.body.tasks);
  res.json({ config, safe, tasks });
});

app.post("/state", (req, res) => {
  // ruleid: bastion.javascript.insecure-deserialization
  const state = eval("(" + req.body.state + ")");
  // ok: bastion.javascript.insecure-deserialization
  const defaults = serialize.unserialize('{"theme":"dark"}');
  res.json({ state, defaults });
});

app.post("/restore", (req, res) => {
  // ruleid: bastion.javascript.insecure-deserialization
  const restored = eval('(' + req.cookies.snapshot + ')');
  res.json(restored);
});

// A helper of this file that unserializes its parameter: the call passes the request input to it.
function restoreWizard(text) {
  return serialize.unserialize(text);
}
app.post("/wizard/resume", (req, res) => {
  // ruleid: bastion.javascript.insecure-deserialization
  const state = restoreWizard(req.body.state);
  // ok: bastion.javascript.insecure-deserialization
  const initial = restoreWizard('{"step":1}');
  res.json({ step: state.step, initial: initial.step });
});
