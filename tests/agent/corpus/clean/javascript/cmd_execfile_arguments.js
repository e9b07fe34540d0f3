const { execFile } = require('child_process');
const express = require('express');

const app = express();
app.use(express.json());

const DOMAIN_PATTERN = /^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*$/i;

function lookup(domain) {
  return new Promise((resolve, reject) => {
    execFile('dig', ['+short', '--', domain], { timeout: 5000 }, (error, stdout) => {
      if (error) {
        reject(error);
        return;
      }
      resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

app.post('/tools/dns', async (req, res) => {
  const domain = String(req.body.domain || '').trim();
  if (!DOMAIN_PATTERN.test(domain)) {
    return res.status(400).json({ error: 'a valid domain is required' });
  }
  try {
    return res.json({ domain, addresses: await lookup(domain) });
  } catch (err) {
    return res.status(502).json({ error: 'lookup failed' });
  }
});

module.exports = app;
