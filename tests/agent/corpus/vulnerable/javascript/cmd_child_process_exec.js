const { exec } = require('child_process');
const express = require('express');

const app = express();
app.use(express.json());

function lookup(domain) {
  return new Promise((resolve, reject) => {
    exec('dig +short ' + domain, { timeout: 5000 }, (error, stdout) => {
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
  if (!domain) {
    return res.status(400).json({ error: 'domain is required' });
  }
  try {
    const addresses = await lookup(domain);
    return res.json({ domain, addresses });
  } catch (err) {
    return res.status(502).json({ error: 'lookup failed' });
  }
});

module.exports = app;
