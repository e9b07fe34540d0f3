const https = require('https');
const axios = require('axios');

const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

const vault = axios.create({
  baseURL: 'https://vault.service.internal:8200/v1',
  httpsAgent: agent,
  timeout: 5000,
});

async function readSecret(path, token) {
  const { data } = await vault.get(`/secret/data/${encodeURIComponent(path)}`, {
    headers: { 'X-Vault-Token': token },
  });
  return data.data.data;
}

module.exports = { readSecret };
