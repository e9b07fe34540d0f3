'use strict';
const express = require('express');
const escapeHtml = require('escape-html');

const app = express();

function greeting(name) {
  return `<html><body><p>Hello, ${escapeHtml(name)}!</p></body></html>`;
}

app.get('/welcome', (req, res) => {
  const visitor = req.query.name || 'guest';
  const html = greeting(String(visitor));
  res.type('html');
  res.send(html);
});

app.get('/ping', (req, res) => {
  res.type('text/plain').send('pong');
});

module.exports = app;
