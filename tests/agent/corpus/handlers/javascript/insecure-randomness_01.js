'use strict';
const express = require('express');

const app = express();
app.use(express.json());
const resetCodes = new Map();

function newResetCode() {
  const suffix = Math.random().toString(36).slice(2);
  return suffix.toUpperCase();
}

app.post('/password/forgot', (req, res) => {
  const email = String(req.body.email || '').toLowerCase();
  const code = newResetCode();
  resetCodes.set(email, { code, expires: Date.now() + 15 * 60 * 1000 });
  res.status(202).json({ sent: true });
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = { app, resetCodes };
