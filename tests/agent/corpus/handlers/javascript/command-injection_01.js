'use strict';
const express = require('express');
const { exec } = require('child_process');

const app = express();

function normaliseHost(value) {
  return String(value).trim().toLowerCase();
}

app.get('/diagnostics/ping', (req, res) => {
  const host = req.query.host;
  const target = normaliseHost(host);
  exec(`ping -c 3 ${target}`, { timeout: 10000 }, (error, stdout) => {
    if (error) {
      res.status(502).send('ping failed');
      return;
    }
    res.type('text/plain').send(stdout);
  });
});

app.listen(Number(process.env.PORT || 3000));
