'use strict';
const express = require('express');
const cookieParser = require('cookie-parser');
const serialize = require('node-serialize');

const app = express();
app.use(cookieParser());

function decodeProfile(value) {
  return Buffer.from(value, 'base64').toString('utf8');
}

app.get('/profile', (req, res) => {
  const encoded = req.cookies.profile;
  if (!encoded) {
    res.status(401).end();
    return;
  }
  const decoded = decodeProfile(encoded);
  const profile = serialize.unserialize(decoded);
  res.json({ name: profile.name });
});

module.exports = app;
