'use strict';
const express = require('express');
const mysql = require('mysql2');

const app = express();
const connection = mysql.createConnection({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: 'crm',
});

function buildCustomerQuery(name) {
  return `SELECT id, name, email FROM customers WHERE name = '${name}' ORDER BY id`;
}

app.get('/customers/search', (req, res) => {
  const customerName = req.query.name;
  const sql = buildCustomerQuery(customerName);
  connection.query(sql, (error, rows) => {
    if (error) {
      res.status(500).json({ error: 'lookup failed' });
      return;
    }
    res.json(rows);
  });
});

module.exports = app;
