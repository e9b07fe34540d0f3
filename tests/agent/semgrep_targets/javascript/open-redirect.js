// Test target for open-redirect.yaml: Express handlers and a browser script redirecting.
const express = require("express");

const app = express();
const SAFE_TARGETS = new Set(["/home", "/account"]);

app.get("/login", (req, res) => {
  const next = req.query.next;
  // ruleid: bastion.javascript.open-redirect
  res.redirect(next);
  // ok: bastion.javascript.open-redirect
  res.redirect("/dashboard");
});

app.get("/logout", (req, res) => {
  const returnTo = req.query.returnTo;
  if (!SAFE_TARGETS.has(returnTo)) {
    return res.redirect("/");
  }
  // ok: bastion.javascript.open-redirect
  res.redirect(302, returnTo);
});

app.get("/go", (req, res) => {
  // ruleid: bastion.javascript.open-redirect
  res.redirect(301, req.body.url);
  // ok: bastion.javascript.open-redirect
  res.redirect("/articles/" + req.query.slug);
  // ruleid: bastion.javascript.open-redirect
  res.setHeader("Location", req.get("Referer"));
  // ruleid: bastion.javascript.open-redirect
  res.writeHead(302, { Location: req.query.to });
  res.end();
});

// In the browser.
const params = new URLSearchParams(window.location.search);
// ruleid: bastion.javascript.open-redirect
window.location.href = params.get("redirect");
// ruleid: bastion.javascript.open-redirect
location.assign(location.hash.substring(1));
// ok: bastion.javascript.open-redirect
location.assign("/profile/" + encodeURIComponent(params.get("user")));
// ok: bastion.javascript.open-redirect
window.location.href = "/home";

app.get("/continue", (req, res) => {
  const next = req.param("next");
  if (!next.startsWith("/") || next.startsWith("//")) {
    return res.redirect("/");
  }
  // ok: bastion.javascript.open-redirect
  res.redirect(next);
});

app.get("/sso", (req, res) => {
  const target = new URL(req.query.target);
  if (target.origin !== "https://accounts.example.com") {
    return res.status(400).end();
  }
  // ok: bastion.javascript.open-redirect
  res.redirect(target.href);
});

window.addEventListener("message", function (event) {
  // ruleid: bastion.javascript.open-redirect
  window.location = event.data.url;
});

// A predicate of this file that accepts local paths only, asked before the redirect.
function isLocalPath(target) {
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//");
}
app.get("/logout", (req, res) => {
  const returnTo = req.query.returnTo;
  if (!isLocalPath(returnTo)) {
    return res.status(400).send("invalid return path");
  }
  // ok: bastion.javascript.open-redirect
  res.redirect(returnTo);
});

// A helper of this file that returns the URL only when its host is on the allow-list.
const DOCS_HOSTS = new Set(["docs.example.com"]);
function allowedTarget(raw) {
  const parsed = new URL(raw);
  return DOCS_HOSTS.has(parsed.hostname) ? parsed.href : null;
}
app.get("/go", (req, res) => {
  // ok: bastion.javascript.open-redirect
  res.redirect(allowedTarget(req.query.to) || "/");
});

// A ternary decided by its literals: the constant branch is always taken (or never).
app.get("/saved", (req, res) => {
  const requested = String(req.query.next || "");
  const settled = 4 * 4 > 10 ? "/account/settings" : requested;
  // ok: bastion.javascript.open-redirect
  res.redirect(settled);
  const open = 4 * 4 < 10 ? "/account/settings" : requested;
  // ruleid: bastion.javascript.open-redirect
  res.redirect(open);
});
