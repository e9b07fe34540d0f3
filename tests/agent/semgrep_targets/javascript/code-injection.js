// Test target for code-injection.yaml: Express handlers and a browser script evaluating strings.
const express = require("express");
const vm = require("vm");

const app = express();
const HANDLERS = { add: (a, b) => a + b };

app.post("/calculate", (req, res) => {
  const expression = req.body.expression;
  // ruleid: bastion.javascript.code-injection
  const result = eval(expression);
  // ok: bastion.javascript.code-injection
  const constant = eval("2 + 2");
  // ruleid: bastion.javascript.code-injection
  const compute = new Function("a", "b", "return " + req.query.formula);
  // ruleid: bastion.javascript.code-injection
  vm.runInNewContext(req.body.script, { console });
  // ok: bastion.javascript.code-injection
  const parsed = JSON.parse(req.body.data);
  res.json({ result, constant, compute, parsed });
});

app.get("/plugin", (req, res) => {
  // ruleid: bastion.javascript.code-injection
  const plugin = require("./plugins/" + req.query.name);
  // ok: bastion.javascript.code-injection
  const handler = HANDLERS[req.query.action];
  // ok: bastion.javascript.code-injection
  setTimeout(() => handler(1, 2), 100);
  res.json({ plugin });
});

// In the browser.
const hash = decodeURIComponent(location.hash.slice(1));
// ruleid: bastion.javascript.code-injection
setTimeout("render('" + hash + "')", 10);
const delay = parseInt(new URLSearchParams(location.search).get("delay"), 10);
// ok: bastion.javascript.code-injection
setTimeout(`console.log(${delay})`, delay);

// ruleid: bastion.javascript.code-injection
eval(window.name);
// ruleid: bastion.javascript.code-injection
new Function(document.URL.split("#")[1])();

const ejs = require("ejs");

app.post("/preview", (req, res) => {
  // ruleid: bastion.javascript.code-injection
  const page = ejs.render(req.body.template, { user: req.user });
  // ok: bastion.javascript.code-injection
  const card = ejs.render("<p><%= name %></p>", { name: req.body.name });
  res.send(page + card);
});

// A value read from a constant table by the user's key is one of the code's own snippets.
const FORMULAS = { sum: "values.reduce((a, b) => a + b, 0)", max: "Math.max(...values)" };
app.get("/stats/:operation", (req, res) => {
  const operation = req.params.operation;
  if (!Object.prototype.hasOwnProperty.call(FORMULAS, operation)) {
    return res.status(400).send("unknown operation");
  }
  // ok: bastion.javascript.code-injection
  res.json({ value: vm.runInNewContext(FORMULAS[operation], { values: [1, 2], Math }) });
});

// A helper of this file hands its parameter to eval: the request input reaches it through the call.
function renderMessage(context, template) {
  const text = eval("`" + template + "`");
  return text;
}
app.post("/messages/preview", (req, res) => {
  // ruleid: bastion.javascript.code-injection
  res.json({ preview: renderMessage({}, req.body.template) });
  // ok: bastion.javascript.code-injection
  res.json({ preview: renderMessage({}, "Hello ${context.name}") });
});
