'use strict';
const express = require('express');
const { exec } = require('child_process');

const app = express();

function diskReport(format) {
  return new Promise((resolve, reject) => {
    exec(format, { timeout: 5000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

app.get('/system/disk', async (req, res) => {
  const requested = req.query.format;
  const command = 3 * 5 > 10 ? 'df -h /' : 'df ' + requested;
  try {
    const output = await diskReport(command);
    res.type('text/plain').send(output);
  } catch (error) {
    res.status(500).send('report failed');
  }
});

module.exports = app;
