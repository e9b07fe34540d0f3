// Test target for xss.yaml: Express handlers, a browser script and a React component.
const express = require("express");
const escapeHtml = require("escape-html");
const DOMPurify = require("dompurify");
const Handlebars = require("handlebars");
const fs = require("fs");

const app = express();

app.get("/hello", (req, res) => {
  const name = req.query.name;
  // ruleid: bastion.javascript.xss
  res.send("<h1>Hello " + name + "</h1>");
  // ok: bastion.javascript.xss
  res.send("<h1>Hello " + escapeHtml(name) + "</h1>");
  // ok: bastion.javascript.xss
  res.json({ greeting: "Hello " + name });
});

app.get("/search", (req, res) => {
  // ruleid: bastion.javascript.xss
  res.status(200).send(`<p>No results for ${req.query.q}</p>`);
  // ok: bastion.javascript.xss
  res.send({ query: req.query.q });
  // ok: bastion.javascript.xss
  res.send("<p>Search</p>");
});

app.get("/raw", (req, res) => {
  res.type("text/plain");
  // ok: bastion.javascript.xss
  res.send(req.query.text);
});

app.get("/comment", (req, res) => {
  res.writeHead(200, { "Content-Type": "text/html" });
  // ruleid: bastion.javascript.xss
  res.write(`<div>${req.body.comment}</div>`);
  // ruleid: bastion.javascript.xss
  const banner = new Handlebars.SafeString(req.cookies.banner);
  const count = Number(req.query.count);
  // ok: bastion.javascript.xss
  res.end(`<span>${count}</span>`);
  res.render("banner", { banner });
});

// In the browser.
const params = new URLSearchParams(location.search);
const output = document.getElementById("output");
// ruleid: bastion.javascript.xss
output.innerHTML = "Welcome " + params.get("user");
// ok: bastion.javascript.xss
output.textContent = "Welcome " + params.get("user");
// ok: bastion.javascript.xss
output.innerHTML = DOMPurify.sanitize(params.get("user"));
// ruleid: bastion.javascript.xss
document.write("<a href='" + document.referrer + "'>Back</a>");
// ruleid: bastion.javascript.xss
$("#title").html(decodeURIComponent(location.hash.slice(1)));
// ok: bastion.javascript.xss
$("#title").html("<b>Title</b>");

window.addEventListener("message", (event) => {
  // ruleid: bastion.javascript.xss
  output.insertAdjacentHTML("beforeend", event.data.html);
});

function Profile() {
  const bio = useSearchParams().get("bio");
  // ruleid: bastion.javascript.xss
  return <div dangerouslySetInnerHTML={{ __html: bio }} />;
}

function Static() {
  // ok: bastion.javascript.xss
  return <div dangerouslySetInnerHTML={{ __html: "<b>static</b>" }} />;
}

app.get("/pages/:name", async (req, res) => {
  const page = await fs.promises.readFile(`pages/${req.params.name}.html`, "utf8");
  // ok: bastion.javascript.xss
  res.send(page);
  const rows = await db.query("SELECT body FROM posts WHERE slug = $1", [req.params.name]);
  // ok: bastion.javascript.xss
  res.send(rows);
});

// A helper of this file that escapes its parameter before building the page.
function greeting(name) {
  return `<p>Hello, ${escapeHtml(name)}!</p>`;
}
function shout(name) {
  return `<p>${name.toUpperCase()}!</p>`;
}
app.get("/welcome", (req, res) => {
  // ok: bastion.javascript.xss
  res.send(greeting(String(req.query.name)));
  // ruleid: bastion.javascript.xss
  res.send(shout(String(req.query.name)));
});
