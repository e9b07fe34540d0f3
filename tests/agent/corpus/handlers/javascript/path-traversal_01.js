'use strict';
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const REPORTS_DIR = path.join(__dirname, 'reports');

function reportPath(name) {
  return path.join(REPORTS_DIR, name);
}

app.get('/reports/download', (req, res) => {
  const requested = req.query.file;
  const fullPath = reportPath(requested);
  fs.readFile(fullPath, (error, data) => {
    if (error) {
      res.status(404).send('not found');
      return;
    }
    res.type('application/pdf').send(data);
  });
});

module.exports = app;
