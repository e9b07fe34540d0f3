'use strict';
const express = require('express');

const app = express();
app.use(express.text());
const settingsStore = new Map();

function parseSettings(raw) {
  const parsed = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error('settings must be an object');
  }
  return parsed;
}

app.put('/users/:userId/settings', (req, res) => {
  try {
    const settings = parseSettings(req.body);
    settingsStore.set(req.params.userId, settings);
    res.status(204).end();
  } catch (error) {
    res.status(400).json({ error: 'invalid settings' });
  }
});

module.exports = app;
