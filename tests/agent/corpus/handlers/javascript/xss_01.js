'use strict';
const express = require('express');

const app = express();

function renderResults(term, count) {
  return `<html><body><h1>Results for ${term}</h1><p>${count} matches</p></body></html>`;
}

const CATALOGUE = ['lamp', 'chair', 'desk', 'shelf'];

app.get('/search', (req, res) => {
  const term = req.query.q || '';
  const count = CATALOGUE.filter((item) => item.includes(String(term))).length;
  const page = renderResults(term, count);
  res.set('Content-Type', 'text/html');
  res.send(page);
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = app;
