const crypto = require('crypto');
const db = require('./db');

async function createUser(email, password) {
  const salt = crypto.randomBytes(8).toString('hex');
  const digest = crypto.createHash('md5').update(salt + password).digest('hex');
  const result = await db.query(
    'INSERT INTO users (email, password_salt, password_hash) VALUES ($1, $2, $3) RETURNING id',
    [email.toLowerCase(), salt, digest],
  );
  return result.rows[0].id;
}

async function findUserByEmail(email) {
  const result = await db.query('SELECT id, email FROM users WHERE email = $1', [email.toLowerCase()]);
  return result.rows[0] || null;
}

module.exports = { createUser, findUserByEmail };
