'use strict';
const express = require('express');
const path = require('path');

const app = express();
const UPLOAD_ROOT = path.resolve(process.env.UPLOAD_ROOT || './uploads');

function resolveUpload(name) {
  const candidate = path.resolve(UPLOAD_ROOT, path.basename(name));
  if (!candidate.startsWith(UPLOAD_ROOT + path.sep)) {
    return null;
  }
  return candidate;
}

app.get('/uploads/:fileName', (req, res) => {
  const safePath = resolveUpload(req.params.fileName);
  if (safePath === null) {
    res.status(400).send('invalid file name');
    return;
  }
  res.sendFile(safePath);
});

module.exports = app;
