const crypto = require('crypto');
const express = require('express');
const sessions = require('./session-store');
const { verifyCredentials } = require('./auth');

const router = express.Router();

function newSessionId() {
  return crypto.randomBytes(32).toString('base64url');
}

router.post('/login', express.urlencoded({ extended: false }), async (req, res) => {
  const user = await verifyCredentials(req.body.username, req.body.password);
  if (!user) {
    return res.status(401).send('Invalid username or password');
  }
  const sessionId = newSessionId();
  await sessions.save(sessionId, { userId: user.id, createdAt: Date.now() });
  res.cookie('sid', sessionId, { httpOnly: true, secure: true, sameSite: 'lax' });
  return res.redirect('/');
});

module.exports = router;
