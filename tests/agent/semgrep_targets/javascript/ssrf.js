// Test target for ssrf.yaml.
const axios = require("axios");
const express = require("express");
const http = require("http");

const app = express();
const ALLOWED_HOSTS = new Set(["images.example.com", "cdn.example.com"]);
const API_BASE_URL = "https://api.example.com/v1/";

app.get("/preview", async (req, res) => {
  // ruleid: bastion.javascript.ssrf
  const response = await axios.get(req.query.url);
  res.send(response.data);
});

app.post("/webhook/test", async (req, res) => {
  const target = req.body.callback;
  // ruleid: bastion.javascript.ssrf
  await fetch(target, { method: "POST", body: "{}" });
  // ruleid: bastion.javascript.ssrf
  http.get(`http://${req.body.host}/status`, (r) => r.pipe(res));
});

app.get("/users/:id", async (req, res) => {
  // ok: bastion.javascript.ssrf
  const profile = await axios.get(`https://api.example.com/users/${req.params.id}`);
  // ok: bastion.javascript.ssrf
  const search = await axios.get("https://api.example.com/search", { params: { q: req.params.id } });
  // ok: bastion.javascript.ssrf
  const detail = await fetch(API_BASE_URL + "users/" + encodeURIComponent(req.params.id));
  // ok: bastion.javascript.ssrf
  const health = await fetch("https://status.example.com/health");
  res.json({ profile: profile.data, search: search.data, detail: await detail.json(), health: health.ok });
});

app.get("/image", async (req, res) => {
  const url = req.query.url;
  const { hostname } = new URL(url);
  if (!ALLOWED_HOSTS.has(hostname)) return res.status(400).send("host not allowed");
  // ok: bastion.javascript.ssrf
  const image = await axios.get(url, { responseType: "arraybuffer" });
  return res.send(image.data);
});
