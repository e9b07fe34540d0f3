// Test target for insecure-cookie.yaml: Express, Fastify and Koa handlers setting cookies.
const express = require("express");
const session = require("express-session");
const jwt = require("jsonwebtoken");

const app = express();
app.use(
  // ruleid: bastion.javascript.insecure-cookie.session-flags-off
  session({ secret: process.env.SESSION_SECRET, cookie: { secure: false, maxAge: 3600000 } }),
);
// ok: bastion.javascript.insecure-cookie.session-flags-off
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: true } }));

app.post("/login", (req, res) => {
  const token = jwt.sign({ sub: req.body.user }, process.env.JWT_SECRET);
  // ruleid: bastion.javascript.insecure-cookie.missing-secure, bastion.javascript.insecure-cookie.missing-httponly
  res.cookie("session", token);
  // ruleid: bastion.javascript.insecure-cookie.missing-secure
  res.cookie("auth_token", token, { httpOnly: true, sameSite: "strict" });
  // ruleid: bastion.javascript.insecure-cookie.missing-httponly
  res.cookie("refresh", token, { secure: true });
  // ok: bastion.javascript.insecure-cookie.missing-secure, bastion.javascript.insecure-cookie.missing-httponly
  res.cookie("sid", token, { secure: true, httpOnly: true, sameSite: "lax" });
  // ok: bastion.javascript.insecure-cookie.missing-secure, bastion.javascript.insecure-cookie.missing-httponly
  res.cookie("theme", "dark");
  // ruleid: bastion.javascript.insecure-cookie.missing-httponly
  res.status(200).cookie("prefs", token, { secure: true, httpOnly: false });
  // ok: bastion.javascript.insecure-cookie.missing-secure
  res.cookie("remember_me", token, { secure: process.env.NODE_ENV === "production", httpOnly: true });
  res.end();
});

async function koaLogin(ctx) {
  // ruleid: bastion.javascript.insecure-cookie.missing-secure
  ctx.cookies.set("session", ctx.state.sessionId, { secure: false });
  // ok: bastion.javascript.insecure-cookie.missing-secure, bastion.javascript.insecure-cookie.missing-httponly
  ctx.cookies.set("session", ctx.state.sessionId, { signed: true });
}

async function fastifyLogin(request, reply) {
  // ruleid: bastion.javascript.insecure-cookie.missing-httponly
  reply.setCookie("accessToken", request.user.token, { secure: true, path: "/" });
}

// In the browser.
function rememberSession(sessionToken) {
  // ruleid: bastion.javascript.insecure-cookie.document-cookie
  document.cookie = "session=" + sessionToken + "; path=/";
  // ok: bastion.javascript.insecure-cookie.document-cookie
  document.cookie = `session=${sessionToken}; path=/; Secure; SameSite=Strict`;
  // ok: bastion.javascript.insecure-cookie.document-cookie
  document.cookie = "theme=dark; path=/";
}
