'use strict';
const express = require('express');
const { Pool } = require('pg');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function findInvoice(invoiceId) {
  const result = await pool.query(
    'SELECT id, total, status FROM invoices WHERE id = $1',
    [invoiceId],
  );
  return result.rows[0];
}

router.get('/invoices/:invoiceId', async (req, res, next) => {
  try {
    const invoice = await findInvoice(req.params.invoiceId);
    if (!invoice) {
      res.status(404).end();
      return;
    }
    res.json(invoice);
  } catch (error) {
    next(error);
  }
});

module.exports = router;
