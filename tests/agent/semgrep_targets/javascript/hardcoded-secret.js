// Test target for hardcoded-secret.yaml. Every credential below is invented.
const jwt = require("jsonwebtoken");
const mysql = require("mysql2");
const session = require("express-session");

// ruleid: bastion.javascript.hardcoded-secret
const API_KEY = "4f9a1c2e7b3d8e6f0a5b";
// ok: bastion.javascript.hardcoded-secret
const API_KEY_FROM_ENV = process.env.API_KEY;
// ok: bastion.javascript.hardcoded-secret
const PASSWORD_FIELD = "password";
// ok: bastion.javascript.hardcoded-secret
let password = "";

const connection = mysql.createConnection({
  host: "db.internal",
  user: "app",
  // ruleid: bastion.javascript.hardcoded-secret
  password: "s3cr3t-p4ss",
});

const fromEnvironment = mysql.createConnection({
  host: "db.internal",
  user: "app",
  // ok: bastion.javascript.hardcoded-secret
  password: process.env.DB_PASSWORD,
});

function issue(user) {
  // ruleid: bastion.javascript.hardcoded-secret
  return jwt.sign({ sub: user.id }, "my-super-secret-signing-key", { expiresIn: "1h" });
}

function issueFromEnvironment(user) {
  // ok: bastion.javascript.hardcoded-secret
  return jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: "1h" });
}

// ruleid: bastion.javascript.hardcoded-secret
const secret = process.env.SESSION_SECRET || "keyboard-cat-2024";
// ruleid: bastion.javascript.hardcoded-secret
const middleware = session({ secret: "keyboard-cat-2024", resave: false });

function isAdmin(adminPassword) {
  // ruleid: bastion.javascript.hardcoded-secret
  return adminPassword === "letmein123";
}

// ruleid: bastion.javascript.hardcoded-secret.known-format
const awsKeyId = "AKIAZ7Q3XK2M4N6P8R1T";
// ok: bastion.javascript.hardcoded-secret.known-format
const docsKeyId = "AKIAIOSFODNN7EXAMPLE";
// ruleid: bastion.javascript.hardcoded-secret.known-format
const mongoUrl = "mongodb://admin:Tr0ub4dor3@mongo.internal:27017/app";
// ok: bastion.javascript.hardcoded-secret.known-format
const localUrl = "mongodb://127.0.0.1:27017/app";

module.exports = { connection, fromEnvironment, issue, issueFromEnvironment, secret, middleware, isAdmin };
