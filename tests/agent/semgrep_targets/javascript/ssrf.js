// Test target for ssrf.yaml: Express handlers fetching URLs with fetch, axios, got, http and needle.
const express = require("express");
const axios = require("axios");
const got = require("got");
const http = require("http");
const needle = require("needle");

const app = express();
const API_BASE = "https://api.example.com";
const ALLOWED_URLS = ["https://status.example.com/health"];

app.get("/preview", async (req, res) => {
  const url = req.query.url;
  // ruleid: bastion.javascript.ssrf
  const page = await fetch(url);
  // ok: bastion.javascript.ssrf
  const fixed = await fetch("https://api.example.com/users/" + url);
  // ok: bastion.javascript.ssrf
  const encoded = await fetch(`https://api.example.com/search?q=${encodeURIComponent(url)}`);
  res.send({ page: await page.text(), fixed: fixed.status, encoded: encoded.status });
});

app.post("/webhook/test", async (req, res) => {
  // ruleid: bastion.javascript.ssrf
  await axios.post(req.body.callbackUrl, { ping: true }, { timeout: 5000 });
  // ruleid: bastion.javascript.ssrf
  await axios({ method: "get", url: `http://${req.body.host}/status` });
  // ok: bastion.javascript.ssrf
  await axios.get(`${API_BASE}/users/${req.body.id}`, { timeout: 5000 });
  res.end();
});

app.get("/proxy", async (req, res) => {
  // ruleid: bastion.javascript.ssrf
  const body = await got(req.get("X-Target")).text();
  // ruleid: bastion.javascript.ssrf
  http.get({ host: req.query.host, path: "/" }, (response) => response.pipe(res));
  // ruleid: bastion.javascript.ssrf
  needle("get", req.query.feed);
  res.send(body);
});

app.get("/health", async (req, res) => {
  const target = req.query.target;
  if (!ALLOWED_URLS.includes(target)) {
    return res.status(400).end();
  }
  // ok: bastion.javascript.ssrf
  const response = await fetch(target);
  // ok: bastion.javascript.ssrf
  const status = await got("https://status.example.com/health", { timeout: { request: Number(req.query.timeout) } });
  res.json({ ok: response.ok, status: status.statusCode });
});

const ALLOWED_HOSTS = ["images.example.com", "cdn.example.com"];

app.get("/image", async (req, res) => {
  const url = new URL(req.query.src);
  if (!ALLOWED_HOSTS.includes(url.hostname)) {
    return res.status(400).send("host not allowed");
  }
  // ok: bastion.javascript.ssrf
  const image = await fetch(url);
  const other = new URL(req.query.other);
  // ruleid: bastion.javascript.ssrf
  const unchecked = await fetch(other);
  res.send({ image: image.status, unchecked: unchecked.status });
});

// An AWS Lambda handler behind API Gateway.
exports.handler = async (event) => {
  // ruleid: bastion.javascript.ssrf
  const response = await fetch(event.queryStringParameters.url);
  return { statusCode: 200, body: await response.text() };
};

// A helper of this file fetches whatever it is given; another one only ever its fixed origin.
async function loadPreview(pageUrl) {
  const response = await axios.get(pageUrl, { timeout: 4000 });
  return response.data;
}

async function loadStatus(path) {
  return fetch("https://status.example.com/" + encodeURIComponent(path));
}

app.post("/previews", async (req, res) => {
  // ruleid: bastion.javascript.ssrf
  const preview = await loadPreview(req.body.url);
  // ok: bastion.javascript.ssrf
  const status = await loadStatus(req.body.path);
  res.json({ preview, status: status.status });
});
