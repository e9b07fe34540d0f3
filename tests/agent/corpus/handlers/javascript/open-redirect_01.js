'use strict';
const express = require('express');

const app = express();
app.use(express.urlencoded({ extended: false }));

function afterLogin(next) {
  return next || '/dashboard';
}

app.get('/login/complete', (req, res) => {
  const next = req.query.next;
  const destination = afterLogin(next);
  res.redirect(destination);
});

app.get('/dashboard', (req, res) => {
  res.send('dashboard');
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = app;
