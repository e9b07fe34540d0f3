const crypto = require('crypto');
const { promisify } = require('util');
const db = require('./db');

const scrypt = promisify(crypto.scrypt);
const KEY_LENGTH = 64;

async function createUser(email, password) {
  const salt = crypto.randomBytes(16);
  const derived = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const result = await db.query(
    'INSERT INTO users (email, password_salt, password_hash) VALUES ($1, $2, $3) RETURNING id',
    [email.toLowerCase(), salt.toString('hex'), derived.toString('hex')],
  );
  return result.rows[0].id;
}

async function passwordMatches(storedSaltHex, storedHashHex, candidate) {
  const derived = await scrypt(candidate, Buffer.from(storedSaltHex, 'hex'), KEY_LENGTH, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return crypto.timingSafeEqual(derived, Buffer.from(storedHashHex, 'hex'));
}

module.exports = { createUser, passwordMatches };
