'use strict';
const express = require('express');
const path = require('path');

const app = express();
const storage = {
  root: path.join(__dirname, 'avatars'),
  locate(fileName) {
    return this.root + '/' + fileName;
  },
};

app.get('/avatars/:name', (req, res) => {
  const { name } = req.params;
  const fullPath = storage.locate(name);
  res.sendFile(fullPath);
});

app.get('/avatars', (req, res) => {
  res.json({ root: 'avatars' });
});

module.exports = app;
