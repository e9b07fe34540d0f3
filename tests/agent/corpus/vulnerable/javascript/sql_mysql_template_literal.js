const express = require('express');
const mysql = require('mysql2/promise');

const router = express.Router();
const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: 'shop',
  connectionLimit: 10,
});

router.get('/orders/:orderId', async (req, res, next) => {
  try {
    const { orderId } = req.params;
    const [rows] = await pool.query(`SELECT id, status, total FROM orders WHERE id = '${orderId}' AND deleted_at IS NULL`);
    if (rows.length === 0) {
      return res.status(404).json({ error: 'not found' });
    }
    return res.json(rows[0]);
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
