// Test target for insecure-tls.yaml.
const axios = require("axios");
const fs = require("fs");
const https = require("https");
const tls = require("tls");

// ruleid: bastion.javascript.insecure-tls
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

// ruleid: bastion.javascript.insecure-tls
const insecureAgent = new https.Agent({ rejectUnauthorized: false });
// ok: bastion.javascript.insecure-tls
const secureAgent = new https.Agent({ rejectUnauthorized: true });
// ok: bastion.javascript.insecure-tls
const privateCaAgent = new https.Agent({ ca: fs.readFileSync("/etc/ssl/internal-ca.pem") });

function fetchInvoices() {
  return axios.get("https://billing.internal/invoices", {
    // ruleid: bastion.javascript.insecure-tls
    httpsAgent: new https.Agent({ rejectUnauthorized: false }),
  });
}

function connect(host) {
  // ruleid: bastion.javascript.insecure-tls
  return tls.connect(443, host, { servername: host, checkServerIdentity: () => undefined });
}

function connectChecked(host) {
  // ok: bastion.javascript.insecure-tls
  return tls.connect(443, host, { servername: host });
}

module.exports = { insecureAgent, secureAgent, privateCaAgent, fetchInvoices, connect, connectChecked };
