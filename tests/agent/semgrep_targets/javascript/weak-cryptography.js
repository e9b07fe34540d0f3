// Test target for weak-cryptography.yaml (ciphers and modes; weak hashes are weak-hash.yaml).
const crypto = require("crypto");
const CryptoJS = require("crypto-js");

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
