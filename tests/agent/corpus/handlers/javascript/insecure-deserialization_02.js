'use strict';
const express = require('express');
const cookieParser = require('cookie-parser');

const app = express();
app.use(cookieParser());

function readPreferences(value) {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return JSON.parse(decoded);
}

app.get('/preferences', (req, res) => {
  const raw = req.cookies.preferences;
  if (!raw) {
    res.json({ theme: 'light' });
    return;
  }
  try {
    res.json(readPreferences(raw));
  } catch (error) {
    res.status(400).json({ error: 'bad preferences' });
  }
});

module.exports = app;
