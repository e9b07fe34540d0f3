'use strict';
const express = require('express');
const crypto = require('crypto');

const app = express();
const apiKeys = new Map();

function generateApiKey() {
  return crypto.randomBytes(32).toString('hex');
}

app.post('/projects/:projectId/keys', (req, res) => {
  const projectId = Number.parseInt(req.params.projectId, 10);
  if (!Number.isInteger(projectId)) {
    res.status(400).end();
    return;
  }
  const key = generateApiKey();
  apiKeys.set(key, projectId);
  res.status(201).json({ key });
});

module.exports = app;
