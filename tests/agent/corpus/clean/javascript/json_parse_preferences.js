const express = require('express');
const cookieParser = require('cookie-parser');

const app = express();
app.use(cookieParser(process.env.COOKIE_SECRET));

const DEFAULTS = Object.freeze({ theme: 'light', language: 'en' });
const THEMES = new Set(['light', 'dark']);

function readPreferences(req) {
  const raw = req.signedCookies.prefs;
  if (!raw) {
    return DEFAULTS;
  }
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return {
      theme: THEMES.has(parsed.theme) ? parsed.theme : DEFAULTS.theme,
      language: typeof parsed.language === 'string' ? parsed.language.slice(0, 5) : DEFAULTS.language,
    };
  } catch (err) {
    return DEFAULTS;
  }
}

app.get('/dashboard', (req, res) => {
  const prefs = readPreferences(req);
  res.render('dashboard', { theme: prefs.theme, language: prefs.language });
});

module.exports = app;
