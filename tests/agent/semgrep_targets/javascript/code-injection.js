// Test target for code-injection.yaml.
const express = require("express");
const vm = require("vm");

const app = express();
const HANDLERS = { sum: (a, b) => a + b };

app.get("/calc", (req, res) => {
  // ruleid: bastion.javascript.code-injection
  const result = eval(req.query.expr);
  // ok: bastion.javascript.code-injection
  const parsed = JSON.parse(req.query.expr);
  res.json({ result, parsed });
});

app.post("/rule", (req, res) => {
  // ruleid: bastion.javascript.code-injection
  const predicate = new Function("row", "return " + req.body.condition);
  // ruleid: bastion.javascript.code-injection
  const value = vm.runInNewContext(req.body.script, { Math });
  // ok: bastion.javascript.code-injection
  const handler = HANDLERS[req.body.name];
  res.json({ predicate: String(predicate), value, handler: String(handler) });
});

function schedule(name) {
  // ruleid: bastion.javascript.code-injection
  setTimeout("notify('" + name + "')", 1000);
  // ok: bastion.javascript.code-injection
  setTimeout(() => notify(name), 1000);
  // ok: bastion.javascript.code-injection
  setInterval(refresh, 5000);
}

function constant() {
  const snippet = "1 + 1";
  // ok: bastion.javascript.code-injection
  const two = eval(snippet);
  // ok: bastion.javascript.code-injection
  const add = new Function("a", "b", "return a + b");
  return add(two, 1);
}

function notify(message) {
  console.log(message);
}

function refresh() {}
