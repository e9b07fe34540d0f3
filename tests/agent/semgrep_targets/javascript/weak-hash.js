// Test target for weak-hash.yaml: MD5 and SHA-1 over passwords and tokens, and harmless checksums.
const crypto = require("crypto");
const CryptoJS = require("crypto-js");
const md5 = require("md5");

function hashPassword(password) {
  // ruleid: bastion.javascript.weak-hash
  return crypto.createHash("md5").update(password).digest("hex");
}

async function register(req, res) {
  const user = {
    name: req.body.name,
    // ruleid: bastion.javascript.weak-hash
    passwordHash: crypto.createHash("sha1").update(req.body.pw).digest("hex"),
  };
  // ruleid: bastion.javascript.weak-hash
  const tokenDigest = CryptoJS.MD5(req.body.resetToken).toString();
  // ruleid: bastion.javascript.weak-hash
  const stored = md5(req.body.apiKey);
  // ok: bastion.javascript.weak-hash
  const safe = crypto.createHash("sha256").update(req.body.resetToken).digest("hex");
  res.json({ user, tokenDigest, stored, safe });
}

function etagOf(body) {
  // ok: bastion.javascript.weak-hash
  const etag = crypto.createHash("md5").update(body).digest("hex");
  // ok: bastion.javascript.weak-hash
  const cacheKey = md5(JSON.stringify(body));
  return { etag, cacheKey };
}

function checksum(fileBuffer) {
  // ok: bastion.javascript.weak-hash
  return crypto.createHash("sha1").update(fileBuffer).digest("hex");
}
