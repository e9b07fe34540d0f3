'use strict';
const express = require('express');
const axios = require('axios');

const app = express();
app.use(express.json());

class FeedSource {
  constructor(url) {
    this.url = url;
  }
}

app.post('/feeds/preview', async (req, res) => {
  const feedUrl = req.body.feedUrl;
  const source = new FeedSource(feedUrl);
  try {
    const response = await axios.get(source.url, { timeout: 5000 });
    res.json({ status: response.status, length: String(response.data).length });
  } catch (error) {
    res.status(502).json({ error: 'feed unavailable' });
  }
});

module.exports = app;
