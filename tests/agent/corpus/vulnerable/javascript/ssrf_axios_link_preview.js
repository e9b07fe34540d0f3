const axios = require('axios');
const cheerio = require('cheerio');
const express = require('express');

const router = express.Router();

async function fetchPreview(pageUrl) {
  const response = await axios.get(pageUrl, { timeout: 4000, maxContentLength: 2 * 1024 * 1024 });
  const $ = cheerio.load(response.data);
  return {
    title: $('meta[property="og:title"]').attr('content') || $('title').text(),
    description: $('meta[property="og:description"]').attr('content') || '',
    image: $('meta[property="og:image"]').attr('content') || null,
  };
}

router.post('/previews', express.json(), async (req, res) => {
  const { url } = req.body;
  if (!/^https?:\/\//.test(url || '')) {
    return res.status(400).json({ error: 'url must be http(s)' });
  }
  try {
    return res.json(await fetchPreview(url));
  } catch (err) {
    return res.status(422).json({ error: 'could not fetch the page' });
  }
});

module.exports = router;
