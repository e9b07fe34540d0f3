'use strict';
const express = require('express');
const crypto = require('crypto');

const app = express();
app.use(express.json());
const sessions = new Map();

const COOKIE_OPTIONS = { secure: true, httpOnly: true, sameSite: 'strict', maxAge: 3600 * 1000 };

app.post('/sessions', (req, res) => {
  const account = String(req.body.account || '');
  if (!account) {
    res.status(400).end();
    return;
  }
  const token = crypto.randomBytes(32).toString('base64url');
  sessions.set(token, account);
  res.cookie('session_token', token, COOKIE_OPTIONS);
  res.status(201).json({ account });
});

module.exports = app;
