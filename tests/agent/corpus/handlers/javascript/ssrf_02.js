'use strict';
const express = require('express');

const app = express();
const INVENTORY_API = process.env.INVENTORY_API_URL || 'https://inventory.internal.example.com';

async function fetchStock(itemId) {
  const response = await fetch(`${INVENTORY_API}/items/${itemId}/stock`, {
    signal: AbortSignal.timeout(5000),
  });
  return response.json();
}

app.get('/items/:itemId/stock', async (req, res) => {
  const itemId = Number.parseInt(req.params.itemId, 10);
  if (!Number.isInteger(itemId) || itemId <= 0) {
    res.status(400).json({ error: 'bad item id' });
    return;
  }
  res.json(await fetchStock(itemId));
});

module.exports = app;
