'use strict';
const express = require('express');

const app = express();

function isLocalPath(target) {
  return typeof target === 'string' && target.startsWith('/') && !target.startsWith('//');
}

app.get('/logout', (req, res) => {
  const returnTo = req.query.returnTo;
  if (!isLocalPath(returnTo)) {
    res.status(400).send('invalid return path');
    return;
  }
  res.redirect(returnTo);
});

app.get('/', (req, res) => {
  res.send('home');
});

module.exports = app;
