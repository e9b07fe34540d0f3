'use strict';
const express = require('express');
const { execFile } = require('child_process');

const app = express();
app.use(express.json());

const REPOSITORY_PATH = process.env.REPOSITORY_PATH || '/srv/repo';

app.post('/git/history', (req, res) => {
  const filePath = req.body.path;
  const args = ['-C', REPOSITORY_PATH, 'log', '--oneline', '-n', '20', '--', filePath];
  execFile('git', args, { timeout: 5000 }, (error, stdout) => {
    if (error) {
      res.status(400).json({ error: 'git log failed' });
      return;
    }
    res.json({ lines: stdout.split('\n').filter(Boolean) });
  });
});

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

module.exports = app;
