'use strict';
const express = require('express');
const crypto = require('crypto');

const app = express();
app.use(express.json());
const sessions = new Map();

app.post('/login', (req, res) => {
  const username = String(req.body.username || '');
  if (!username) {
    res.status(400).end();
    return;
  }
  const sessionId = crypto.randomBytes(24).toString('hex');
  sessions.set(sessionId, { username, createdAt: Date.now() });
  res.cookie('sid', sessionId, { httpOnly: true, sameSite: 'lax' });
  res.status(204).end();
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = app;
