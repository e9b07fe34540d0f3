// Test target for sql-injection.yaml: Express handlers with mysql2, pg, sqlite and knex.
const express = require("express");
const mysql = require("mysql2");
const { Pool } = require("pg");

const app = express();
const pool = new Pool();
const connection = mysql.createConnection({ host: "db" });
const SORTABLE = ["name", "created_at"];

app.get("/users", async (req, res) => {
  const name = req.query.name;
  // ruleid: bastion.javascript.sql-injection
  const result = await pool.query("SELECT * FROM users WHERE name = '" + name + "'");
  // ok: bastion.javascript.sql-injection
  const safe = await pool.query("SELECT * FROM users WHERE name = $1", [name]);
  res.json({ result: result.rows, safe: safe.rows });
});

app.get("/users/:id", (req, res) => {
  // ruleid: bastion.javascript.sql-injection
  connection.query(`SELECT * FROM users WHERE id = ${req.params.id}`, (err, rows) => res.json(rows));
  // ok: bastion.javascript.sql-injection
  connection.execute("SELECT * FROM users WHERE id = ?", [req.params.id], (err, rows) => res.json(rows));
  const id = parseInt(req.params.id, 10);
  // ok: bastion.javascript.sql-injection
  connection.query(`SELECT * FROM users WHERE id = ${id}`, (err, rows) => res.json(rows));
});

app.post("/search", async (req, res) => {
  const { email, order } = req.body;
  const sql = `SELECT id FROM accounts WHERE email = '${email}'`;
  // ruleid: bastion.javascript.sql-injection
  const rows = await req.app.locals.db.all(sql);
  // ruleid: bastion.javascript.sql-injection
  await knex("users").orderByRaw("name, " + order);
  if (!SORTABLE.includes(order)) {
    return res.status(400).end();
  }
  // ok: bastion.javascript.sql-injection
  await knex("users").orderByRaw("name, " + order);
  // ok: bastion.javascript.sql-injection
  await pool.query("SELECT * FROM accounts WHERE email = " + mysql.escape(email));
  res.json(rows);
});

app.get("/report", async (req, res) => {
  const table = "audit_log";
  const limit = 50;
  // ok: bastion.javascript.sql-injection
  const rows = await pool.query(`SELECT * FROM ${table} LIMIT ${limit}`);
  // ruleid: bastion.javascript.sql-injection
  await pool.query("DELETE FROM sessions WHERE token = '" + req.get("X-Session") + "'");
  // ruleid: bastion.javascript.sql-injection
  await pool.query({ text: "SELECT * FROM t WHERE a = '" + req.cookies.a + "'" });
  res.json(rows);
});

app.get("/cache/:key", async (req, res) => {
  // ok: bastion.javascript.sql-injection
  const cached = await client.get("user:" + req.params.key);
  // ruleid: bastion.javascript.sql-injection
  db.get("SELECT * FROM users WHERE key = '" + req.params.key + "'", (error, row) => res.json({ row, cached }));
});
