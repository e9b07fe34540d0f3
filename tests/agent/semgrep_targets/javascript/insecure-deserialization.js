// Test target for insecure-deserialization.yaml.
const express = require("express");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const toJs = require("serialize-to-js");

const app = express();

app.get("/profile", (req, res) => {
  const cookie = Buffer.from(req.cookies.profile, "base64").toString();
  // ruleid: bastion.javascript.insecure-deserialization
  const profile = serialize.unserialize(cookie);
  // ok: bastion.javascript.insecure-deserialization
  const preferences = JSON.parse(cookie);
  res.json({ profile, preferences });
});

app.post("/import", (req, res) => {
  // ruleid: bastion.javascript.insecure-deserialization
  const unsafe = yaml.load(req.body.document, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ok: bastion.javascript.insecure-deserialization
  const config = yaml.load(req.body.document);
  // ok: bastion.javascript.insecure-deserialization
  const strict = yaml.load(req.body.document, { schema: yaml.JSON_SCHEMA });
  // ruleid: bastion.javascript.insecure-deserialization
  const state = toJs.deserialize(req.body.state);
  res.json({ unsafe, config, strict, state });
});

function exportProfile(profile) {
  // ok: bastion.javascript.insecure-deserialization
  return serialize.serialize(profile);
}
