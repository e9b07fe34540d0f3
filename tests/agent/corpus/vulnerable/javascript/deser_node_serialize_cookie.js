const express = require('express');
const cookieParser = require('cookie-parser');
const serialize = require('node-serialize');

const app = express();
app.use(cookieParser());

function readPreferences(req) {
  const raw = req.cookies.prefs;
  if (!raw) {
    return { theme: 'light', language: 'en' };
  }
  const json = Buffer.from(raw, 'base64').toString('utf8');
  return serialize.unserialize(json);
}

app.get('/dashboard', (req, res) => {
  const prefs = readPreferences(req);
  res.render('dashboard', { theme: prefs.theme, language: prefs.language });
});

module.exports = app;
