'use strict';
const express = require('express');

const app = express();

function toFormula(expression) {
  return '(' + expression + ')';
}

app.get('/calculator', (req, res) => {
  const expression = req.query.expr;
  const formula = toFormula(expression);
  try {
    const result = eval(formula);
    res.json({ result });
  } catch (error) {
    res.status(400).json({ error: 'invalid expression' });
  }
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = app;
