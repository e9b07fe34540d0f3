// Test target for insecure-randomness.yaml.
const crypto = require("crypto");

function generateResetToken() {
  // ruleid: bastion.javascript.insecure-randomness
  return Math.random().toString(36).slice(2);
}

function createUser(name) {
  // ruleid: bastion.javascript.insecure-randomness
  const tempPassword = Math.random().toString(36).substring(2, 10);
  // ruleid: bastion.javascript.insecure-randomness
  const otpCode = Math.floor(100000 + Math.random() * 900000);
  // ok: bastion.javascript.insecure-randomness
  const sessionId = crypto.randomBytes(16).toString("hex");
  // ok: bastion.javascript.insecure-randomness
  const apiKey = crypto.randomUUID();
  return { name, tempPassword, otpCode, sessionId, apiKey };
}

function newSession(user) {
  return {
    user,
    // ruleid: bastion.javascript.insecure-randomness
    csrfToken: Math.random().toString(16).slice(2),
  };
}

class Invitations {
  createInviteCode() {
    // ruleid: bastion.javascript.insecure-randomness
    return String(Math.floor(Math.random() * 1e8));
  }
}

function rollDice() {
  // ok: bastion.javascript.insecure-randomness
  return Math.floor(Math.random() * 6) + 1;
}

function jitter(delay) {
  // ok: bastion.javascript.insecure-randomness
  const backoff = delay * (1 + Math.random());
  // ok: bastion.javascript.insecure-randomness
  const color = `hsl(${Math.random() * 360}, 50%, 50%)`;
  return { backoff, color };
}

// ruleid: bastion.javascript.insecure-randomness
const makeOtp = () => String(Math.floor(Math.random() * 1000000)).padStart(6, "0");

function pickBanner(banners) {
  // ok: bastion.javascript.insecure-randomness
  return banners[Math.floor(Math.random() * banners.length)];
}

function legacySalt() {
  // ruleid: bastion.javascript.insecure-randomness
  return crypto.pseudoRandomBytes(16).toString("hex");
}
