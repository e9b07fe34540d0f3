// Test target for weak-cryptography.yaml.
const crypto = require("crypto");
const CryptoJS = require("crypto-js");

function hashPassword(password) {
  // ruleid: bastion.javascript.weak-cryptography.hash
  return crypto.createHash("md5").update(password).digest("hex");
}

function signature(payload) {
  // ruleid: bastion.javascript.weak-cryptography.hash
  const digest = crypto.createHash("sha1").update(payload).digest("hex");
  // ruleid: bastion.javascript.weak-cryptography.hash
  const legacy = CryptoJS.MD5(payload).toString();
  // ok: bastion.javascript.weak-cryptography.hash
  const strong = crypto.createHash("sha256").update(payload).digest("hex");
  // ok: bastion.javascript.weak-cryptography.hash
  const mac = crypto.createHmac("sha256", process.env.KEY).update(payload).digest("hex");
  return [digest, legacy, strong, mac];
}

function encryptLegacy(key, data) {
  // ruleid: bastion.javascript.weak-cryptography.cipher
  const des = crypto.createCipheriv("des-ede3-cbc", key, crypto.randomBytes(8));
  // ruleid: bastion.javascript.weak-cryptography.cipher
  const ecb = crypto.createCipheriv("aes-128-ecb", key, null);
  // ruleid: bastion.javascript.weak-cryptography.cipher
  const old = crypto.createCipher("aes-256-cbc", key);
  // ruleid: bastion.javascript.weak-cryptography.cipher
  const js = CryptoJS.AES.encrypt(data, key, { mode: CryptoJS.mode.ECB });
  return [des, ecb, old, js];
}

function encryptModern(key, data) {
  const iv = crypto.randomBytes(12);
  // ok: bastion.javascript.weak-cryptography.cipher
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ok: bastion.javascript.weak-cryptography.cipher
  const js = CryptoJS.AES.encrypt(data, key, { mode: CryptoJS.mode.CBC, iv });
  return Buffer.concat([iv, cipher.update(data), cipher.final(), cipher.getAuthTag(), Buffer.from(js.toString())]);
}
