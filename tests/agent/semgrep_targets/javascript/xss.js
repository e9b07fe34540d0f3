// Test target for xss.yaml.
const escapeHtml = require("escape-html");
const express = require("express");

const app = express();

function showGreeting() {
  const params = new URLSearchParams(window.location.search);
  const name = params.get("name");
  // ruleid: bastion.javascript.xss.dom
  document.getElementById("greeting").innerHTML = "Hello " + name;
  // ok: bastion.javascript.xss.dom
  document.getElementById("plain").textContent = "Hello " + name;
  // ok: bastion.javascript.xss.dom
  document.getElementById("escaped").innerHTML = "Hello " + escapeHtml(name);
}

function showSearch() {
  const query = document.getElementById("search").value;
  // ruleid: bastion.javascript.xss.dom
  document.getElementById("results").innerHTML = "You searched for: " + query;
  const field = document.querySelector("#name");
  // ruleid: bastion.javascript.xss.dom
  document.getElementById("hello").innerHTML = `Hello ${field.value}`;
  // ok: bastion.javascript.xss.dom
  document.getElementById("hello-text").textContent = `Hello ${field.value}`;
}

function renderComment(comment) {
  const item = document.createElement("li");
  // ruleid: bastion.javascript.xss.dom
  item.innerHTML = `<b>${comment.author}</b>: ${comment.text}`;
  return item;
}

function renderList(items) {
  const list = document.querySelector("#list");
  // ok: bastion.javascript.xss.dom
  list.innerHTML = items.map((item) => `<li>${escapeHtml(item.name)}</li>`).join("");
  // ok: bastion.javascript.xss.dom
  list.innerHTML = "";
}

window.addEventListener("message", (event) => {
  // ruleid: bastion.javascript.xss.dom
  document.body.insertAdjacentHTML("beforeend", event.data);
});

// ruleid: bastion.javascript.xss.dom
document.write("<p>" + location.hash.slice(1) + "</p>");

async function loadBanner() {
  const response = await fetch("/api/banner");
  const banner = await response.json();
  // ruleid: bastion.javascript.xss.dom
  $("#banner").html(banner.message);
  // ok: bastion.javascript.xss.dom
  $("#banner-text").text(banner.message);
  // ok: bastion.javascript.xss.dom
  document.querySelector("#clean").innerHTML = DOMPurify.sanitize(banner.message);
}

app.get("/hello", (req, res) => {
  // ruleid: bastion.javascript.xss.reflected
  res.send("<h1>Hello " + req.query.name + "</h1>");
});

app.get("/missing/:id", (req, res) => {
  // ruleid: bastion.javascript.xss.reflected
  res.status(404).send(`No item ${req.params.id}`);
});

app.get("/safe/hello", (req, res) => {
  // ok: bastion.javascript.xss.reflected
  res.send("<h1>Hello " + escapeHtml(req.query.name) + "</h1>");
});

app.get("/api/hello", (req, res) => {
  // ok: bastion.javascript.xss.reflected
  res.json({ greeting: "Hello " + req.query.name });
});

app.get("/text/hello", (req, res) => {
  res.type("text/plain");
  // ok: bastion.javascript.xss.reflected
  res.send("Hello " + req.query.name);
});

app.get("/html/hello", (req, res) => {
  res.type("html");
  // ruleid: bastion.javascript.xss.reflected
  res.send("Hello " + req.query.name);
});

app.get("/header/hello", (req, res) => {
  res.setHeader("Content-Type", "application/json");
  // ok: bastion.javascript.xss.reflected
  res.end(JSON.stringify({ greeting: "Hello " + req.query.name }));
});

app.get("/view/hello", (req, res) => {
  // ok: bastion.javascript.xss.reflected
  res.render("hello", { name: req.query.name });
});
